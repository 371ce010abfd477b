import { sql, type AliasedRawBuilder, type RawBuilder } from 'kysely';
import { PHASES, type Phase } from '../incidents/phases.js';
import type { PercentileKeeper, ReportEngine } from '../store/index.js';

/**
 * The statistics of one group of recovered incidents (a period, or a whole range): how many, and how
 * long recovery took, split into the four phases. The SQL aggregates that compute them and the
 * conversion of their row into minutes live here, shared by the periods and the total of a report.
 *
 * Sums and counts come back from the database and means are divided here, so that they are exact on
 * both engines (PostgreSQL's avg(bigint) is numeric, SQLite's a double; they can differ in the last bit).
 */

export const MINUTE = 60_000;

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
  /**
   * Time to acknowledge, acknowledged_at − detected_at, in minutes, over the incidents someone
   * acknowledged: how long a person took to answer. Beside the phases, not one of them (it overlaps them).
   */
  acknowledge: { incidents: number; median: number | null; p90: number | null; share: number | null };
}

/** A row of aggregates as the database returns it (numbers may arrive as strings or numerics). */
export type StatsRow = Record<string, number | string | null>;

/** One percentile of a report: its column in the row, the fraction, the value, and which count is its n. */
export interface PercentileSpec {
  name: string;
  fraction: number;
  value: RawBuilder<number | null>;
  /** The row's count of the incidents that have this value (all recovered ones, or those with a resolved_at). */
  count: 'incidents' | 'rd_count' | 'ack_count';
}

const column = (name: string) => sql<number | null>`${sql.ref(name)}`;
/** Time to acknowledge in ms (NULL for an incident nobody acknowledged). */
export const ACK_MS = sql<number | null>`acknowledged_at - detected_at`;

/** Every percentile a report shows, in the order of the row's columns. */
export function percentileSpecs(): PercentileSpec[] {
  const mttr = column('mttr_ms');
  return [
    { name: 'mttr_p50', fraction: 0.5, value: mttr, count: 'incidents' },
    { name: 'mttr_p90', fraction: 0.9, value: mttr, count: 'incidents' },
    ...PHASES.map((phase): PercentileSpec => ({ name: `${phase}_p50`, fraction: 0.5, value: column(`${phase}_ms`), count: 'incidents' })),
    { name: 'rd_p50', fraction: 0.5, value: sql<number | null>`resolved_at - detected_at`, count: 'rd_count' },
    { name: 'ack_p50', fraction: 0.5, value: ACK_MS, count: 'ack_count' },
    { name: 'ack_p90', fraction: 0.9, value: ACK_MS, count: 'ack_count' },
  ];
}

/** How many incidents, and how many have a resolved_at: the n of each percentile. */
export function countAggregates(): AliasedRawBuilder<number, string>[] {
  return [sql<number>`count(*)`.as('incidents'), sql<number>`count(resolved_at)`.as('rd_count'), sql<number>`count(acknowledged_at)`.as('ack_count')];
}

/** Counts, sums and the maximum: everything but the percentiles, cheap to compute over any range. */
export function sumAggregates(): AliasedRawBuilder<number | null, string>[] {
  return [
    sql<number>`count(*)`.as('incidents'),
    sql<number | null>`sum(mttr_ms)`.as('mttr_sum'),
    sql<number | null>`max(mttr_ms)`.as('mttr_max'),
    ...PHASES.map((phase) => sql<number | null>`sum(${column(`${phase}_ms`)})`.as(`${phase}_sum`)),
    sql<number>`count(resolved_at)`.as('rd_count'),
    sql<number | null>`sum(resolved_at - detected_at)`.as('rd_sum'),
    sql<number>`count(acknowledged_at)`.as('ack_count'),
    sql<number | null>`sum(${ACK_MS})`.as('ack_sum'),
  ];
}

/**
 * Every aggregate of a group, the percentiles computed by the report engine (percentile_cont
 * semantics), or by a keeper that also keeps the values for the report's total.
 */
export function aggregates(engine: ReportEngine, keeper?: PercentileKeeper): AliasedRawBuilder<number | null, string>[] {
  const specs = percentileSpecs();
  const computed = (keeper ?? engine).percentilesCont(specs.map(({ fraction, value }) => ({ fraction, value })));
  return [...sumAggregates(), ...computed.map((expression, i) => expression.as(specs[i]!.name))];
}

export const num = (v: unknown): number | null => (v === null || v === undefined ? null : Number(v));
const minutes = (ms: number | null) => (ms === null ? null : ms / MINUTE);
const mean = (sum: number | null, count: number) => (sum === null || count === 0 ? null : sum / count / MINUTE);

/** The statistics, in minutes, of a row of aggregates (an absent row is a group without incidents). */
export function toStats(row: StatsRow | undefined, period: string, start: number | null, end: number | null): PeriodStats {
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
  const ackSum = num(r.ack_sum);
  return {
    period,
    start,
    end,
    incidents,
    mttr: { mean: mean(mttrSum, incidents), median: minutes(num(r.mttr_p50)), p90: minutes(num(r.mttr_p90)), max: minutes(num(r.mttr_max)) },
    phases,
    resolvedMinusDetected: { incidents: rdCount, mean: mean(num(r.rd_sum), rdCount), median: minutes(num(r.rd_p50)) },
    acknowledge: { incidents: num(r.ack_count) ?? 0, median: minutes(num(r.ack_p50)), p90: minutes(num(r.ack_p90)), share: ackSum === null || !mttrSum ? null : ackSum / mttrSum },
  };
}

/** The rank percentile_cont reads first (0-based), and how far towards the next one it interpolates. */
export function rankOf(fraction: number, n: number): { rank: number; frac: number } {
  const position = fraction * (n - 1);
  const rank = Math.floor(position);
  return { rank, frac: position - rank };
}

/**
 * percentile_cont from the values at `rank` and `rank + 1`: PostgreSQL's own float8 interpolation,
 * lo + (hi − lo) × proportion, and no interpolation on an exact rank, so the result is the same double.
 */
export function interpolate(lo: number, hi: number | null, frac: number): number {
  return frac === 0 || hi === null ? lo : lo + (hi - lo) * frac;
}

/** Adds up the counts and sums of several groups' rows (the maximum is the largest). */
export function addRows(rows: readonly StatsRow[]): StatsRow {
  const out: StatsRow = {};
  for (const key of ['incidents', 'mttr_sum', ...PHASES.map((p) => `${p}_sum`), 'rd_count', 'rd_sum', 'ack_count', 'ack_sum']) {
    const values = rows.map((r) => num(r[key])).filter((v): v is number => v !== null);
    out[key] = values.length === 0 ? null : values.reduce((a, b) => a + b, 0);
  }
  const maxima = rows.map((r) => num(r.mttr_max)).filter((v): v is number => v !== null);
  out.mttr_max = maxima.length === 0 ? null : Math.max(...maxima);
  return out;
}
