import type { Command } from 'commander';
import { closeHttpAgents, formatOutcome, runCheck } from '../../detect/checks/index.js';
import { closest } from '../../config/suggest.js';
import { Store } from '../../store/index.js';
import { configHelp, loadCommandConfig } from '../config-path.js';
import { EXIT, reportConfigError, type Output } from '../output.js';

/**
 * `medic run <monitor>`: one run of one monitor, now, printed step by step with timings and every
 * assertion — what an engineer runs while writing a monitor or checking a fix. Nothing is stored; a
 * heartbeat monitor reads its last ping from the database.
 */
export function runCommand(program: Command, io: Output, setExit: (code: number) => void): void {
  program
    .command('run <monitor>')
    .description('run one monitor once and print each step, its timings and assertions (exit 0 if it passed)')
    .option('-c, --config <file>', configHelp('read'))
    .option('--json', 'print the outcome as JSON')
    .action(async (name: string, opts: { config?: string; json?: boolean }) => {
      let loaded;
      try {
        loaded = loadCommandConfig(opts.config, 'read', io);
      } catch (err) {
        return setExit(reportConfigError(err, io));
      }
      const monitor = loaded.config.monitors.find((m) => m.name === name);
      if (!monitor) {
        const hint = closest(name, loaded.config.monitors.map((m) => m.name));
        io.err(`no monitor named ${JSON.stringify(name)} in ${loaded.file}${hint ? ` (did you mean ${JSON.stringify(hint)}?)` : ''}`);
        return setExit(EXIT.badInput);
      }
      let lastPingAt: number | null = null;
      let monitorCreatedAt: number | undefined;
      if (monitor.type === 'heartbeat') {
        const store = await Store.open({ url: loaded.config.storage.url, baseDir: process.cwd() });
        try {
          const row = await store.db.selectFrom('monitors').select(['last_ping_at', 'created_at']).where('name', '=', name).executeTakeFirst();
          lastPingAt = row?.last_ping_at == null ? null : Number(row.last_ping_at);
          monitorCreatedAt = row ? Number(row.created_at) : undefined;
        } finally {
          await store.close();
        }
      }
      const outcome = await runCheck(monitor, { signal: new AbortController().signal, now: () => Date.now(), lastPingAt, ...(monitorCreatedAt !== undefined ? { monitorCreatedAt } : {}), redact: (text) => loaded.redactor.redact(text) });
      await closeHttpAgents();
      const redact = (s: string) => loaded.redactor.redact(s);
      if (opts.json) io.out(redact(JSON.stringify({ monitor: name, ...outcome })));
      else io.out(redact(formatOutcome(monitor, outcome, { color: process.stdout.isTTY === true })));
      setExit(outcome.status === 'down' ? EXIT.failed : EXIT.ok);
    });
}
