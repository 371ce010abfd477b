import type { Store } from '../store/index.js';
import { recoveredIncidents, type IncidentFilter } from './filter.js';
import { periodsCovering, type Period, type PeriodUnit } from './periods.js';
import { periodRows, type PeriodQuery } from './period-rows.js';
import { aggregates, toStats, type PeriodStats, type StatsRow } from './stats.js';
import { totalRow, type Slice } from './total.js';

/**
 * The MTTR report: per calendar month or ISO week (UTC, by `detected_at`, as MTTR reports usually group
 * them) and over the whole range, how many incidents recovered and how long recovery took, split into
 * the four phases. Computed in the database on both engines with the same queries.
 *
 * How it stays fast over a million incidents: the period boundaries are computed here (periods.ts) and
 * each period is one query over its time range, which reads a slice of the covering index
 * `incidents_report` — no date formatting per row and no sort to group by. On PostgreSQL several
 * periods run at once on separate connections. The total costs no second sort of the range (total.ts).
 */

export type { PeriodStats, PhaseStats } from './stats.js';

export interface MttrReportOptions extends IncidentFilter {
  by: PeriodUnit;
}

export interface MttrReport {
  by: PeriodUnit;
  since: number | null;
  until: number | null;
  service: string | null;
  severity: string | null;
  /** Periods that have incidents, oldest first. */
  periods: PeriodStats[];
  total: PeriodStats;
}

/** The statistics over the whole of a range in one query (used for ranges that are not split into periods). */
export async function mttrTotal(store: Store, filter: IncidentFilter): Promise<PeriodStats> {
  const row = await store.report.session(store.db, (db) => recoveredIncidents(db, filter).select(aggregates(store.report)).executeTakeFirst());
  return toStats(row as StatsRow | undefined, 'total', filter.since ?? null, filter.until ?? null);
}

/** The first and last detection time of the incidents a report counts (two reads of the index's ends). */
async function detectionSpan(store: Store, filter: IncidentFilter): Promise<{ first: number; last: number } | undefined> {
  const end = (direction: 'asc' | 'desc') =>
    recoveredIncidents(store.db, filter).select('detected_at').orderBy('detected_at', direction).limit(1).executeTakeFirst();
  const [first, last] = await Promise.all([end('asc'), end('desc')]);
  if (first?.detected_at == null || last?.detected_at == null) return undefined;
  return { first: Number(first.detected_at), last: Number(last.detected_at) };
}

/**
 * The range cut into `count` runs of whole periods with about as many incidents each, for reading on
 * that many connections at once; together they cover every period, empty ones included.
 */
function slices(periods: readonly PeriodQuery[], rows: readonly StatsRow[], count: number): Slice[] {
  const total = rows.reduce((n, r) => n + Number(r.incidents), 0);
  const out: Slice[] = [];
  let taken = 0;
  for (let i = 0; i < periods.length; i++) {
    const last = out.at(-1);
    // Start a new slice once this one holds its share, until there are `count` of them.
    if (last && (taken < (out.length * total) / count || out.length >= count)) last.to = periods[i]!.to;
    else out.push({ from: periods[i]!.from, to: periods[i]!.to });
    taken += Number(rows[i]!.incidents);
  }
  return out;
}

export async function mttrReport(store: Store, options: MttrReportOptions): Promise<MttrReport> {
  const { by, ...filter } = options;
  const span = await detectionSpan(store, filter);
  const periods = (span ? periodsCovering(span.first, span.last, by) : []).map((p) => ({
    ...p,
    from: Math.max(p.start, filter.since ?? p.start),
    to: Math.min(p.end, filter.until ?? p.end),
  }));
  // Where the engine can, the values read for the periods are kept for the total (see total.ts).
  const keeper = store.report.keepPercentiles();
  let busy: { p: Period; row: StatsRow }[];
  let total: StatsRow | undefined;
  try {
    const rows = await periodRows(store, filter, periods, keeper);
    // A period between two busy ones may have had no incident: it is left out, as the report lists periods with incidents.
    busy = periods.map((p, i) => ({ p, row: rows[i]! })).filter(({ row }) => Number(row.incidents) > 0);
    total = await totalRow(
      store,
      filter,
      busy.map(({ row }) => row),
      keeper,
      slices(periods, rows, store.report.concurrency),
    );
  } finally {
    keeper?.release();
  }
  return {
    by,
    since: filter.since ?? null,
    until: filter.until ?? null,
    service: filter.service ?? null,
    severity: filter.severity ?? null,
    periods: busy.map(({ p, row }) => toStats(row, p.label, p.start, p.end)),
    total: toStats(total, 'total', filter.since ?? null, filter.until ?? null),
  };
}
