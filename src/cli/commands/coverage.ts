import { Option } from 'commander';
import { alertCoverage, automationReport, AUTOMATION_WINDOW_MS, formatAutomation, formatCoverage } from '../../report/index.js';
import type { Cli } from '../command.js';
import { EXIT, UsageError } from '../output.js';
import { instant } from '../parse.js';

export function coverageCommand(cli: Cli): void {
  cli.command<{ json?: boolean; failOnGap?: boolean; automation?: boolean; since?: number }>({
    name: 'coverage',
    description: 'which failure modes (availability, latency, error_rate, dependency) each service has an alert or monitor for, and how fast they detect',
    json: 'print JSON',
    options: [
      new Option('--fail-on-gap', 'exit 1 when a failure mode is not covered or a detector takes more than 2 minutes (for CI)').conflicts('automation'),
      new Option('--automation', 'instead: the most frequent incident types (alert and service) by count, time lost and median MTTR, the ten worst without a runbook or a remediation rule first'),
      new Option('--since <time>', 'with --automation: incidents detected from (a date, a time, epoch milliseconds, or a duration ago; default 90d)').argParser(instant),
    ],
    config: 'read',
    async action(ctx) {
      const { automation, since } = ctx.opts;
      if (since !== undefined && !automation) throw new UsageError('--since goes with --automation');
      const { rt } = await ctx.core();
      const now = rt.clock.now();
      if (automation) {
        if (since !== undefined && since >= now) throw new UsageError('--since must be in the past');
        const report = await automationReport(rt.store, rt.loaded.config, { since: since ?? now - AUTOMATION_WINDOW_MS, until: now });
        ctx.io.out(ctx.opts.json ? JSON.stringify(report) : formatAutomation(report));
        return EXIT.ok;
      }
      const report = await alertCoverage(rt.store.db, rt.loaded.config, now);
      ctx.io.out(ctx.opts.json ? JSON.stringify(report) : formatCoverage(report));
      return ctx.opts.failOnGap && !report.ok ? EXIT.failed : EXIT.ok;
    },
  });
}
