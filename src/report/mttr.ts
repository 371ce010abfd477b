import { sql, type AliasedRawBuilder, type Expression } from 'kysely';
import { PHASES, type Phase } from '../incidents/phases.js';
import type { PeriodUnit, Store, StoreDialect } from '../store/index.js';
import { recoveredIncidents, type IncidentFilter } from './filter.js';
import { periodRange } from './periods.js';

/**
 * The MTTR report: per calendar month or ISO week (UTC, by `detected_at`, as the article's SQL groups
 * them) and over the whole range, how many incidents recovered and how long recovery took, split into
 * the four phases. Computed in the database on both engines with the same query: the dialect supplies
 * the period label and `percentile_cont`, which behave identically on SQLite and PostgreSQL.
 *
 * Sums and counts come back from the database and means are divided here, so that they are exact on
 * both engines (PostgreSQL's avg(bigint) is numeric, SQLite's a double; they can differ in the last bit).
 */

const MINUTE = 60_000;

export interface MttrReportOptions extends IncidentFilter {
  by: PeriodUnit;
}

export interface PhaseStats {
  /** Minutes. */
  mean: number | null;
  median: number | null;
  /** Sum of this phase over the sum of MTTR: the phases' shares add up to 1. */
  share: number | null;
}

export interface PeriodStats {
  /** `2026-03`, `2026-W09`, or `total`. */
  period: string;
  /** UTC milliseconds [start, end) of the period; for the total, the report's range (null when open). */
  start: number | null;
  end: number | null;
  incidents: number;
  /** Minutes, started → verified (the sum of the phases). */
  mttr: { mean: number | null; median: number | null; p90: number | null; max: number | null };
  phases: Record<Phase, PhaseStats>;
  /**
   * The article's definition, resolved_at − detected_at, in minutes: what teams' existing SQL reports,
   * next to Medic's, so the two can be compared. Counts only incidents with a resolved_at.
   */
  resolvedMinusDetected: { incidents: number; mean: number | null; median: number | null };
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

type StatsRow = Record<string, number | string | null>;

/** The aggregates of one group of incidents; the same list for periods and the total. */
function aggregates(dialect: StoreDialect): AliasedRawBuilder<number | null, string>[] {
  const ms = (column: string) => sql<number | null>`${sql.ref(column)}`;
  const mttr = ms('mttr_ms');
  const resolvedMinusDetected = sql<number | null>`resolved_at - detected_at`;
  const percentiles: [string, number, Expression<number | null>][] = [
    ['mttr_p50', 0.5, mttr],
    ['mttr_p90', 0.9, mttr],
    ...PHASES.map((phase): [string, number, Expression<number | null>] => [`${phase}_p50`, 0.5, ms(`${phase}_ms`)]),
    ['rd_p50', 0.5, resolvedMinusDetected],
  ];
  const computed = dialect.percentilesCont(percentiles.map(([, fraction, value]) => ({ fraction, value })));
  return [
    sql<number>`count(*)`.as('incidents'),
    sql<number | null>`sum(mttr_ms)`.as('mttr_sum'),
    sql<number | null>`max(mttr_ms)`.as('mttr_max'),
    ...PHASES.map((phase) => sql<number | null>`sum(${ms(`${phase}_ms`)})`.as(`${phase}_sum`)),
    sql<number>`count(resolved_at)`.as('rd_count'),
    sql<number | null>`sum(resolved_at - detected_at)`.as('rd_sum'),
    ...computed.map((expression, i) => expression.as(percentiles[i]![0])),
  ];
}

const num = (v: unknown): number | null => (v === null || v === undefined ? null : Number(v));
const minutes = (ms: number | null) => (ms === null ? null : ms / MINUTE);
const mean = (sum: number | null, count: number) => (sum === null || count === 0 ? null : sum / count / MINUTE);

function toStats(row: StatsRow | undefined, period: string, start: number | null, end: number | null): PeriodStats {
  const r = row ?? {};
  const incidents = num(r.incidents) ?? 0;
  const mttrSum = num(r.mttr_sum);
  const phases = {} as Record<Phase, PhaseStats>;
  for (const phase of PHASES) {
    const sum = num(r[`${phase}_sum`]);
    phases[phase] = {
      mean: mean(sum, incidents),
      median: minutes(num(r[`${phase}_p50`])),
      share: sum === null || !mttrSum ? null : sum / mttrSum,
    };
  }
  const rdCount = num(r.rd_count) ?? 0;
  return {
    period,
    start,
    end,
    incidents,
    mttr: { mean: mean(mttrSum, incidents), median: minutes(num(r.mttr_p50)), p90: minutes(num(r.mttr_p90)), max: minutes(num(r.mttr_max)) },
    phases,
    resolvedMinusDetected: { incidents: rdCount, mean: mean(num(r.rd_sum), rdCount), median: minutes(num(r.rd_p50)) },
  };
}

/** The statistics over the whole of a range (one group, no periods). */
export async function mttrTotal(store: Store, filter: IncidentFilter): Promise<PeriodStats> {
  const row = await recoveredIncidents(store.db, filter).select(aggregates(store.dialect)).executeTakeFirst();
  return toStats(row as StatsRow | undefined, 'total', filter.since ?? null, filter.until ?? null);
}

export async function mttrReport(store: Store, options: MttrReportOptions): Promise<MttrReport> {
  const { by } = options;
  const period = store.dialect.utcPeriod(by, sql.ref('detected_at'));
  const periodsQuery = recoveredIncidents(store.db, options)
    .select([period.as('period'), ...aggregates(store.dialect)])
    // The same parameter-free expression as selected, which both engines accept as the grouping key.
    .groupBy(period)
    .orderBy('period')
    .execute();
  // On PostgreSQL the two run on separate connections at once; SQLite runs them one after the other.
  const [rows, total] = await Promise.all([periodsQuery, mttrTotal(store, options)]);
  return {
    by,
    since: options.since ?? null,
    until: options.until ?? null,
    service: options.service ?? null,
    severity: options.severity ?? null,
    periods: rows.map((row) => {
      const label = String(row.period);
      const { start, end } = periodRange(label, by);
      return toStats(row as StatsRow, label, start, end);
    }),
    total,
  };
}
