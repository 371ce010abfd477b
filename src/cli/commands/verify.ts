import type { Command } from 'commander';
import { parseDuration } from '../../config/index.js';
import { openForService } from '../../incidents/index.js';
import { verificationSettings, watchRecovery } from '../../verify/index.js';
import { openSession } from '../session.js';
import { EXIT, type Output } from '../output.js';
import { configHelp } from '../config-path.js';

export function verifyCommand(program: Command, io: Output, setExit: (code: number) => void): void {
  program
    .command('verify <service>')
    .description("watch the service's monitors and metrics until it is healthy (exit 0) or the window ends (exit 1)")
    .option('--window <duration>', 'how long to watch (default: the verification window)')
    .option('--interval <duration>', 'time between evaluations (default: the verification interval)')
    .option('-c, --config <file>', configHelp('read'))
    .action(async (service: string, opts: { window?: string; interval?: string; config?: string }) => {
      const overrides: { window?: number; interval?: number } = {};
      for (const key of ['window', 'interval'] as const) {
        if (opts[key] === undefined) continue;
        const ms = parseDuration(opts[key]);
        if (ms === undefined || ms <= 0) {
          io.err(`--${key} expects a duration such as 30s or 5m, got ${JSON.stringify(opts[key])}`);
          return setExit(EXIT.badInput);
        }
        overrides[key] = ms;
      }
      const session = await openSession({ file: opts.config, use: 'read', io });
      if ('exit' in session) return setExit(session.exit);
      const abort = new AbortController();
      const onSignal = () => abort.abort(new Error('interrupted'));
      process.once('SIGINT', onSignal);
      try {
        const { rt } = session.core;
        const { config } = rt.loaded;
        if (!config.services.some((s) => s.name === service)) {
          io.err(`no service ${JSON.stringify(service)} in services: (known: ${config.services.map((s) => s.name).join(', ') || 'none'})`);
          return setExit(EXIT.badInput);
        }
        const now = () => Date.now();
        const [incident] = await openForService(rt.store.db, service, { order: 'newest' });
        const interval = overrides.interval ?? verificationSettings(config, service).interval;
        // Results since the open incident's fix count; with none, those of the last interval.
        const since = incident?.resolvedAt ?? now() - interval;
        const result = await watchRecovery(rt.store.db, config, { service, since, overrides, now, signal: abort.signal, onLine: (l) => io.out(l) });
        setExit(result.verified ? EXIT.ok : EXIT.failed);
      } finally {
        process.off('SIGINT', onSignal);
        await session.close();
      }
    });
}
