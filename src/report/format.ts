import { PHASES } from '../incidents/phases.js';
import type { Bottleneck } from './bottleneck.js';
import type { MaturityAssessment } from './maturity.js';
import type { MttrReport, PeriodStats } from './mttr.js';

/**
 * Renderings of the MTTR report for `medic report`: a text table for people and CSV for spreadsheets.
 * Durations are minutes; the table rounds to 0.1 min, the CSV to 0.001 min (60 ms), enough for any
 * comparison and free of float noise such as 23.333333333333332.
 */

export interface FormatExtras {
  maturity?: MaturityAssessment;
  bottleneck?: Bottleneck | null;
}

const minutes = (v: number | null) => (v === null ? '–' : v.toFixed(1));
const percent = (v: number | null) => (v === null ? '–' : `${Math.round(v * 100)}%`);

const COLUMNS = [
  'period',
  'incidents',
  'mean',
  'median',
  'p90',
  'max',
  ...PHASES.map((p) => `${p} (share)`),
  'res−det mean',
  'res−det median',
  'ack p50/p90',
] as const;

function tableRow(s: PeriodStats): string[] {
  return [
    s.period,
    String(s.incidents),
    minutes(s.mttr.mean),
    minutes(s.mttr.median),
    minutes(s.mttr.p90),
    minutes(s.mttr.max),
    ...PHASES.map((p) => `${minutes(s.phases[p].median)} (${percent(s.phases[p].share)})`),
    minutes(s.resolvedMinusDetected.mean),
    minutes(s.resolvedMinusDetected.median),
    s.acknowledge.incidents ? `${minutes(s.acknowledge.median)}/${minutes(s.acknowledge.p90)}` : '–',
  ];
}

function describeRange(report: MttrReport): string {
  const day = (ms: number) => new Date(ms).toISOString().slice(0, 10);
  const parts = [report.since !== null ? `from ${day(report.since)}` : '', report.until !== null ? `until ${day(report.until)}` : ''].filter(Boolean);
  if (report.service !== null) parts.push(`service ${report.service}`);
  if (report.severity !== null) parts.push(`severity ${report.severity}`);
  return parts.length ? ` · ${parts.join(', ')}` : '';
}

/** A fixed-width table: one row per period, then the total; phases show their median and share of MTTR. */
export function formatReportTable(report: MttrReport, extras: FormatExtras = {}): string {
  const rows = [[...COLUMNS], ...report.periods.map(tableRow), tableRow(report.total)];
  const widths = COLUMNS.map((_, i) => Math.max(...rows.map((r) => r[i]!.length)));
  const line = (r: string[]) => r.map((cell, i) => (i === 0 ? cell.padEnd(widths[i]!) : cell.padStart(widths[i]!))).join('  ').trimEnd();
  const rule = widths.map((w) => '─'.repeat(w)).join('  ');
  const out = [
    `MTTR by ${report.by === 'month' ? 'month' : 'ISO week'} (UTC, by detection time; minutes)${describeRange(report)}`,
    '',
    line(rows[0]!),
    rule,
    ...rows.slice(1, -1).map(line),
    ...(report.periods.length ? [rule] : []),
    line(rows[rows.length - 1]!),
    '',
    'MTTR = started → verified (detect + diagnose + resolve + verify); phases show median (share of total MTTR);',
    'res−det = resolved_at − detected_at, the definition of the usual MTTR query, for comparison;',
    'ack = time to acknowledge (acknowledged_at − detected_at), median/p90 over the incidents someone acknowledged.',
  ];
  const { maturity, bottleneck } = extras;
  if (maturity || bottleneck) out.push('');
  if (maturity) {
    const median = maturity.medianMinutes !== null ? ` (median MTTR ${minutes(maturity.medianMinutes)} min)` : '';
    const trend =
      maturity.trend && maturity.previous
        ? `, ${maturity.trend} (median ${minutes(maturity.previous.medianMinutes)} min over the range before)`
        : maturity.previous === null
          ? '; no trend: the range has no start, so no range before it'
          : maturity.level !== null
            ? '; no trend: no incidents in the range before'
            : '';
    out.push(`Maturity: ${maturity.level ?? 'no recovered incidents'}${median}${trend}`);
  }
  if (bottleneck) out.push(`Bottleneck: ${bottleneck.phase}, ${percent(bottleneck.share)} of MTTR. Lever: ${bottleneck.lever}`);
  return `${out.join('\n')}\n`;
}

const CSV_HEADER = [
  'period',
  'start',
  'end',
  'incidents',
  'mttr_mean_min',
  'mttr_median_min',
  'mttr_p90_min',
  'mttr_max_min',
  ...PHASES.flatMap((p) => [`${p}_mean_min`, `${p}_median_min`, `${p}_share`]),
  'resolved_minus_detected_incidents',
  'resolved_minus_detected_mean_min',
  'resolved_minus_detected_median_min',
  'acknowledge_incidents',
  'acknowledge_median_min',
  'acknowledge_p90_min',
];

function csvCell(value: string | number | null): string {
  if (value === null) return '';
  const text = String(value);
  return /[",\n\r]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

const round = (v: number | null, digits: number) => (v === null ? null : Number(v.toFixed(digits)));
const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());

/** CSV with a header row; one row per period, then the total (period `total`). Empty cells for no value. */
export function formatReportCsv(report: MttrReport): string {
  const row = (s: PeriodStats) => [
    s.period,
    iso(s.start),
    iso(s.end),
    s.incidents,
    round(s.mttr.mean, 3),
    round(s.mttr.median, 3),
    round(s.mttr.p90, 3),
    round(s.mttr.max, 3),
    ...PHASES.flatMap((p) => [round(s.phases[p].mean, 3), round(s.phases[p].median, 3), round(s.phases[p].share, 4)]),
    s.resolvedMinusDetected.incidents,
    round(s.resolvedMinusDetected.mean, 3),
    round(s.resolvedMinusDetected.median, 3),
    s.acknowledge.incidents,
    round(s.acknowledge.median, 3),
    round(s.acknowledge.p90, 3),
  ];
  return [CSV_HEADER, ...report.periods.map(row), row(report.total)].map((r) => r.map(csvCell).join(',')).join('\n') + '\n';
}
