import type { Command } from 'commander';
import { ConfigError, SEVERITIES } from '../../config/index.js';
import { formatReportCsv, formatReportTable, mttrSummary, type PeriodUnit } from '../../report/index.js';
import { withCore } from '../session.js';
import { EXIT, reportConfigError, UsageError, type Output } from '../output.js';
import { timeOption } from '../time.js';
import { configHelp } from '../config-path.js';

interface ReportOptions {
  by: string;
  since?: string;
  until?: string;
  service?: string;
  severity?: string;
  json?: boolean;
  csv?: boolean;
  config?: string;
}

export function reportCommand(program: Command, io: Output, setExit: (code: number) => void): void {
  program
    .command('report')
    .description('MTTR per month or ISO week and per phase, the maturity level and its trend, the bottleneck phase')
    .option('--by <unit>', 'month or week', 'month')
    .option('--since <time>', 'incidents detected from (a date, a time, or a duration ago such as 90d)')
    .option('--until <time>', 'incidents detected before')
    .option('--service <name>', 'only this service')
    .option('--severity <P1-P4>', 'only this severity')
    .option('--json', 'print JSON')
    .option('--csv', 'print CSV (the periods and the total)')
    .option('-c, --config <file>', configHelp('read'))
    .action(async (opts: ReportOptions) => {
      if (opts.by !== 'month' && opts.by !== 'week') throw new UsageError(`--by must be month or week, got ${JSON.stringify(opts.by)}`);
      if (opts.severity !== undefined && !(SEVERITIES as readonly string[]).includes(opts.severity)) throw new UsageError(`--severity must be one of ${SEVERITIES.join(', ')}`);
      if (opts.json && opts.csv) throw new UsageError('give --json or --csv, not both');
      try {
        await withCore({ file: opts.config, use: 'read', io }, async (core) => {
          const now = core.rt.clock.now();
          const since = timeOption('--since', opts.since, now);
          const until = timeOption('--until', opts.until, now);
          if (since !== undefined && until !== undefined && until <= since) throw new UsageError('--until must be after --since');
          const summary = await mttrSummary(core.rt.store, {
            by: opts.by as PeriodUnit,
            ...(since !== undefined ? { since } : {}),
            ...(until !== undefined ? { until } : {}),
            ...(opts.service ? { service: opts.service } : {}),
            ...(opts.severity ? { severity: opts.severity } : {}),
            now,
          });
          if (opts.json) io.out(JSON.stringify(summary));
          else if (opts.csv) io.out(formatReportCsv(summary.report));
          else io.out(formatReportTable(summary.report, { maturity: summary.maturity, bottleneck: summary.bottleneck }));
        });
        setExit(EXIT.ok);
      } catch (err) {
        if (err instanceof ConfigError) return setExit(reportConfigError(err, io));
        throw err;
      }
    });
}
