import { Argument } from 'commander';
import { closeHttpClients, formatOutcome, runCheck } from '../../detect/checks/index.js';
import type { Cli } from '../command.js';
import { requireMonitor } from '../lookup.js';
import { EXIT } from '../output.js';

/**
 * `medic run <monitor>`: one run of one monitor, now, printed step by step with timings and every
 * assertion — what an engineer runs while writing a monitor or checking a fix. Nothing is stored; a
 * heartbeat monitor reads its last ping from the database (no other opens it).
 */
export function runCommand(cli: Cli): void {
  cli.command<{ json?: boolean }, [string]>({
    name: 'run',
    description: 'run one monitor once and print each step, its timings and assertions (exit 0 if it passed)',
    arguments: [new Argument('<monitor>', 'its name in monitors:')],
    config: 'read',
    json: 'print the outcome as JSON',
    async action(ctx, name) {
      const loaded = ctx.config();
      const monitor = requireMonitor(loaded, name);
      let lastPingAt: number | null = null;
      let monitorCreatedAt: number | undefined;
      if (monitor.type === 'heartbeat') {
        const { rt } = await ctx.core();
        const row = await rt.store.db.selectFrom('monitors').select(['last_ping_at', 'created_at']).where('name', '=', name).executeTakeFirst();
        lastPingAt = row?.last_ping_at == null ? null : Number(row.last_ping_at);
        monitorCreatedAt = row ? Number(row.created_at) : undefined;
      }
      const redact = (text: string) => loaded.redactor.redact(text);
      const outcome = await runCheck(monitor, { signal: new AbortController().signal, now: () => Date.now(), lastPingAt, ...(monitorCreatedAt !== undefined ? { monitorCreatedAt } : {}), redact });
      await closeHttpClients();
      if (ctx.opts.json) ctx.io.out(redact(JSON.stringify({ monitor: name, ...outcome })));
      else ctx.io.out(redact(formatOutcome(monitor, outcome, { color: process.stdout.isTTY === true })));
      return outcome.status === 'down' ? EXIT.failed : EXIT.ok;
    },
  });
}
