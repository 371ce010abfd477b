import { sql, type AliasedRawBuilder, type Expression } from 'kysely';
import type { PercentileKeeper, Store } from '../store/index.js';
import { recoveredIncidents, type IncidentFilter } from './filter.js';
import { addRows, aggregates, interpolate, num, percentileSpecs, rankOf, type PercentileSpec, type StatsRow } from './stats.js';

/**
 * The total row of a report: the statistics over the whole range, once the periods are known.
 *
 * Counts, sums and the maximum add up from the periods. The percentiles do not, and percentile_cont
 * over a million incidents sorts a million values per column: that second pass is what made a report
 * take seconds. Two ways around it, depending on where the engine computes percentiles:
 *
 * SQLite computes them in this process (see store/sqlite/percentile.ts): the periods' values were
 * kept while they were read, and the total's percentiles are taken from all of them at once.
 *
 * PostgreSQL sorts in the server. But the periods hold the answer's neighbourhood: the range's median
 * lies, in practice, between the smallest and the largest of the periods' medians. So the total asks
 * the database, in one pass, for each percentile:
 *
 *   below = how many values lie under a window [smallest, largest period percentile], and the values
 *   at positions i − below and i + 1 − below among the window's values (sorted in the database, and
 *   only those),
 *
 * where i = floor(f × (n − 1)) is the rank percentile_cont reads. When the window holds both ranks (it
 * is checked, never assumed: a position outside the window reads NULL) the percentile is
 * lo + (hi − lo) × (f × (n − 1) − i), PostgreSQL's own interpolation, so the result is identical to
 * percentile_cont's to the last bit. A window that misses (a range of near-identical periods) falls back
 * to percentile_cont over the range, and so does a range whose incidents changed since the periods were
 * read (the counts are checked).
 */

interface Target {
  spec: PercentileSpec;
  /** The window [lo, hi], in the value's unit (ms). */
  lo: number;
  hi: number;
}

const lit = (n: number) => {
  if (!Number.isSafeInteger(n)) throw new RangeError(`not a safe integer: ${n}`);
  return sql.lit(n);
};

/**
 * The total's aggregates over `filter`, given the rows of the periods that partition it (same names as
 * `aggregates()`, percentiles in ms): counts and sums add up, percentiles come from the keeper or from
 * windows.
 */
export async function totalRow(store: Store, filter: IncidentFilter, periodRows: readonly StatsRow[], keeper?: PercentileKeeper): Promise<StatsRow | undefined> {
  if (periodRows.length === 0) return undefined;
  // One period holds every incident of the range: its figures are the total's.
  if (periodRows.length === 1) return periodRows[0];
  const sums = addRows(periodRows);
  const specs = percentileSpecs();
  if (keeper) {
    const values = keeper.union(specs.map(({ fraction, value }) => ({ fraction, value })));
    return { ...sums, ...Object.fromEntries(specs.map((spec, i) => [spec.name, values[i]!])) };
  }

  const targets: Target[] = [];
  for (const spec of specs) {
    const seen = periodRows.map((r) => num(r[spec.name])).filter((v): v is number => v !== null);
    if (seen.length > 0) targets.push({ spec, lo: Math.floor(Math.min(...seen)), hi: Math.ceil(Math.max(...seen)) });
  }
  const counts = { incidents: num(sums.incidents) ?? 0, rd_count: num(sums.rd_count) ?? 0 };
  const r = (await store.dialect.reportSession(store.db, (db) =>
    recoveredIncidents(db, filter)
      .select([sql<number>`count(*)`.as('incidents'), sql<number>`count(resolved_at)`.as('rd_count'), ...targets.flatMap((t, j) => windowAggregates(store, t, counts[t.spec.count], j))])
      .executeTakeFirstOrThrow(),
  )) as StatsRow;
  if (num(r.incidents) !== counts.incidents || num(r.rd_count) !== counts.rd_count) {
    // Incidents recovered (or were imported) since the periods were read, so their figures no longer
    // add up to this range: read it whole, in one snapshot.
    return store.dialect.reportSession(store.db, async (db) => (await recoveredIncidents(db, filter).select(aggregates(store.dialect)).executeTakeFirstOrThrow()) as StatsRow);
  }
  const out: StatsRow = { ...sums };
  const missed: PercentileSpec[] = [];
  for (const spec of specs) out[spec.name] = null;
  targets.forEach((t, j) => {
    const value = readWindow(r, j, t.spec.fraction, counts[t.spec.count]);
    if (value === undefined) missed.push(t.spec);
    else out[t.spec.name] = value;
  });
  if (missed.length > 0) Object.assign(out, await percentilesOverRange(store, filter, missed));
  return out;
}

/** How many values lie under target j's window, and the values at the two ranks counted from there. */
function windowAggregates(store: Store, t: Target, n: number, j: number): AliasedRawBuilder<number | null, string>[] {
  const { value } = t.spec;
  const { rank } = rankOf(t.spec.fraction, Math.max(n, 1));
  const below = sql<number>`count(*) FILTER (WHERE ${value} < ${lit(t.lo)})`;
  const inWindow: Expression<boolean> = sql<boolean>`${value} >= ${lit(t.lo)} AND ${value} <= ${lit(t.hi)}`;
  const [first, second] = store.dialect.orderStatistics([
    { value, where: inWindow, positions: [sql<number>`${lit(rank)} - ${below}`, sql<number>`${lit(rank + 1)} - ${below}`] },
  ])[0]!;
  return [first!.as(`w${j}_lo`), second!.as(`w${j}_hi`)];
}

/**
 * The percentile from target j's window, or undefined when the window does not hold its ranks: a rank
 * under the window has a negative position, one over it a position past its end, and both read NULL.
 */
function readWindow(r: StatsRow, j: number, fraction: number, n: number): number | null | undefined {
  if (n === 0) return null;
  const { rank, frac } = rankOf(fraction, n);
  const lo = num(r[`w${j}_lo`]);
  const hi = num(r[`w${j}_hi`]);
  const needsHi = frac > 0 && rank + 1 < n;
  if (lo === null || (needsHi && hi === null)) return undefined;
  return interpolate(lo, needsHi ? hi : null, frac);
}

/** percentile_cont over the whole range, for the percentiles whose window missed. */
async function percentilesOverRange(store: Store, filter: IncidentFilter, specs: readonly PercentileSpec[]): Promise<StatsRow> {
  const columns = store.dialect.percentilesCont(specs.map(({ fraction, value }) => ({ fraction, value }))).map((e, i) => e.as(specs[i]!.name));
  return (await store.dialect.reportSession(store.db, (db) => recoveredIncidents(db, filter).select(columns).executeTakeFirstOrThrow())) as StatsRow;
}
