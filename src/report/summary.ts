import type { Store } from '../store/index.js';
import { findBottleneck, type Bottleneck } from './bottleneck.js';
import { assessMaturity, type MaturityAssessment } from './maturity.js';
import { mttrReport, type MttrReport, type MttrReportOptions } from './mttr.js';

/**
 * What `medic report` and `GET /api/reports/mttr` answer: the report, the range's maturity level with
 * its trend against the range of equal length before it, and the bottleneck phase with its lever.
 */
export interface MttrSummary {
  report: MttrReport;
  maturity: MaturityAssessment;
  bottleneck: Bottleneck | null;
}

export async function mttrSummary(store: Store, options: MttrReportOptions & { now: number }): Promise<MttrSummary> {
  const { now, ...reportOptions } = options;
  const report = await mttrReport(store, reportOptions);
  const { by: _by, ...filter } = reportOptions;
  // The report's total is the range's median already: only the range before it is read again.
  const maturity = await assessMaturity(store, { ...filter, now, current: { medianMinutes: report.total.mttr.median, incidents: report.total.incidents } });
  return { report, maturity, bottleneck: findBottleneck(report.total) };
}
