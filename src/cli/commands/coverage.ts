import { Option } from 'commander';
import { alertCoverage, formatCoverage } from '../../report/index.js';
import type { Cli } from '../command.js';
import { EXIT } from '../output.js';

export function coverageCommand(cli: Cli): void {
  cli.command<{ json?: boolean; failOnGap?: boolean }>({
    name: 'coverage',
    description: 'which failure modes (availability, latency, error_rate, dependency) each service has an alert or monitor for, and how fast they detect',
    json: 'print JSON',
    options: [new Option('--fail-on-gap', 'exit 1 when a failure mode is not covered or a detector takes more than 2 minutes (for CI)')],
    config: 'read',
    async action(ctx) {
      const { rt } = await ctx.core();
      const report = await alertCoverage(rt.store.db, rt.loaded.config, rt.clock.now());
      ctx.io.out(ctx.opts.json ? JSON.stringify(report) : formatCoverage(report));
      return ctx.opts.failOnGap && !report.ok ? EXIT.failed : EXIT.ok;
    },
  });
}
