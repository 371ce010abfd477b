import { Argument, Option } from 'commander';
import { openForService } from '../../incidents/index.js';
import { verificationSettings, watchRecovery } from '../../verify/index.js';
import type { Cli } from '../command.js';
import { requireService } from '../lookup.js';
import { EXIT } from '../output.js';
import { duration } from '../parse.js';

export function verifyCommand(cli: Cli): void {
  cli.command<{ window?: number; interval?: number }, [string]>({
    name: 'verify',
    description: "watch the service's monitors and metrics until it is healthy (exit 0) or the window ends (exit 1)",
    arguments: [new Argument('<service>')],
    options: [
      new Option('--window <duration>', 'how long to watch (default: the verification window)').argParser(duration()),
      new Option('--interval <duration>', 'time between evaluations (default: the verification interval)').argParser(duration()),
    ],
    config: 'read',
    async action(ctx, service) {
      const { window, interval } = ctx.opts;
      requireService(ctx.config(), service);
      const { rt } = await ctx.core();
      const now = () => Date.now();
      const [incident] = await openForService(rt.store.db, service, { order: 'newest' });
      // Results since the open incident's fix count; with none, those of the last interval.
      const since = incident?.resolvedAt ?? now() - (interval ?? verificationSettings(rt.loaded.config, service).interval);
      const result = await watchRecovery(rt.store.db, rt.loaded.config, {
        service,
        since,
        overrides: { ...(window !== undefined ? { window } : {}), ...(interval !== undefined ? { interval } : {}) },
        now,
        signal: ctx.signal,
        onLine: (l) => ctx.io.out(l),
      });
      return result.verified ? EXIT.ok : EXIT.failed;
    },
  });
}
