import { Option } from 'commander';
import { SEVERITIES, type Severity } from '../../config/index.js';
import { formatReportCsv, formatReportTable, mttrSummary, type PeriodUnit } from '../../report/index.js';
import type { Cli } from '../command.js';
import { UsageError } from '../output.js';
import { instant } from '../parse.js';

interface ReportOptions {
  by: PeriodUnit;
  since?: number;
  until?: number;
  service?: string;
  severity?: Severity;
  json?: boolean;
  csv?: boolean;
}

const PERIODS: readonly PeriodUnit[] = ['month', 'week'];
const TIME_FORMS = 'a date, a time, epoch milliseconds, or a duration ago such as 90d';

export function reportCommand(cli: Cli): void {
  cli.command<ReportOptions>({
    name: 'report',
    description: 'MTTR per month or ISO week and per phase, the maturity level and its trend, the bottleneck phase',
    options: [
      new Option('--by <unit>', 'the length of a period').choices(PERIODS).default('month'),
      new Option('--since <time>', `incidents detected from (${TIME_FORMS})`).argParser(instant),
      new Option('--until <time>', 'incidents detected before').argParser(instant),
      new Option('--service <name>', 'only this service'),
      new Option('--severity <severity>', 'only this severity').choices(SEVERITIES),
      new Option('--csv', 'print CSV (the periods and the total)').conflicts('json'),
    ],
    json: 'print JSON',
    config: 'read',
    async action(ctx) {
      const { by, since, until, service, severity, json, csv } = ctx.opts;
      if (since !== undefined && until !== undefined && until <= since) throw new UsageError('--until must be after --since');
      const { rt } = await ctx.core();
      const summary = await mttrSummary(rt.store, {
        by,
        ...(since !== undefined ? { since } : {}),
        ...(until !== undefined ? { until } : {}),
        ...(service ? { service } : {}),
        ...(severity ? { severity } : {}),
        now: rt.clock.now(),
      });
      if (json) ctx.io.out(JSON.stringify(summary));
      else if (csv) ctx.io.out(formatReportCsv(summary.report));
      else ctx.io.out(formatReportTable(summary.report, { maturity: summary.maturity, bottleneck: summary.bottleneck }));
    },
  });
}
