import { sql, type AliasedRawBuilder } from 'kysely';
import { parseJsonArray, type PercentileKeeper, type Store } from '../store/index.js';
import { recoveredIncidents, type IncidentFilter } from './filter.js';
import { addRows, aggregates, countAggregates, interpolate, num, percentileSpecs, rankOf, type PercentileSpec, type StatsRow } from './stats.js';

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
 * lies, in practice, between the smallest and the largest of the periods' medians. So for each
 * percentile the database counts the values under that window and returns the few values inside it,
 * several slices of the range at once on separate connections; the percentile is then read off at
 * rank i = floor(f × (n − 1)) counted from the window's start, and interpolated with PostgreSQL's own
 * formula, lo + (hi − lo) × (f × (n − 1) − i), so the result is percentile_cont's to the last bit.
 * A window that misses its ranks (it is checked, never assumed) falls back to percentile_cont over the
 * range, and so does a range whose incidents changed since the periods were read (the counts are checked).
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

/** A time slice of the report's range, for one connection. */
export interface Slice {
  from: number;
  to: number;
}

/**
 * The total's aggregates over `filter`, given the rows of the periods that partition it (same names as
 * `aggregates()`, percentiles in ms): counts and sums add up, percentiles come from the keeper or from
 * windows read in `slices` (which partition the range; the whole range when not given).
 */
export async function totalRow(store: Store, filter: IncidentFilter, periodRows: readonly StatsRow[], keeper?: PercentileKeeper, slices?: readonly Slice[]): Promise<StatsRow | undefined> {
  if (periodRows.length === 0) return undefined;
  // One period holds every incident of the range: its figures are the total's.
  if (periodRows.length === 1) return periodRows[0];
  const sums = addRows(periodRows);
  const specs = percentileSpecs();
  if (keeper) {
    const values = keeper.union(specs.map(({ fraction, value }) => ({ fraction, value })));
    return { ...sums, ...Object.fromEntries(specs.map((spec, i) => [spec.name, values[i]!])) };
  }

  // First a window between the periods' percentiles that most incidents agree on (a week with eight
  // incidents can have any median), then for what missed the whole span of them, then percentile_cont.
  let pending = specs;
  const out: StatsRow = { ...sums };
  for (const spec of specs) out[spec.name] = null;
  for (const span of ['weighted', 'full'] as const) {
    const targets = windows(pending, periodRows, span);
    const reads = await readWindows(store, filter, targets, slices);
    const seen = addRows(reads);
    if (num(seen.incidents) !== num(sums.incidents) || num(seen.rd_count) !== num(sums.rd_count)) {
      // Incidents recovered (or were imported) since the periods were read, so their figures no longer
      // add up to this range: read it whole, in one snapshot.
      return store.report.session(store.db, async (db) => (await recoveredIncidents(db, filter).select(aggregates(store.report)).executeTakeFirstOrThrow()) as StatsRow);
    }
    const missed: PercentileSpec[] = [];
    targets.forEach((t, j) => {
      const below = reads.reduce((n, r) => n + (num(r[`w${j}_below`]) ?? 0), 0);
      const window = Float64Array.from(reads.flatMap((r) => parseJsonArray(r[`w${j}_values`])));
      const value = fromWindow(below, window, t.spec.fraction, num(sums[t.spec.count]) ?? 0);
      if (value === undefined) missed.push(t.spec);
      else out[t.spec.name] = value;
    });
    pending = missed;
    if (pending.length === 0) return out;
  }
  return { ...out, ...(await percentilesOverRange(store, filter, pending)) };
}

/**
 * The window of each percentile: the smallest and largest of the periods' values, or ('weighted') the
 * values below which 5 % and above which 5 % of the incidents' periods lie.
 */
function windows(specs: readonly PercentileSpec[], periodRows: readonly StatsRow[], span: 'weighted' | 'full'): Target[] {
  const targets: Target[] = [];
  for (const spec of specs) {
    const seen = periodRows
      .map((r) => ({ value: num(r[spec.name]), weight: num(r[spec.count]) ?? 0 }))
      .filter((v): v is { value: number; weight: number } => v.value !== null && v.weight > 0)
      .sort((a, b) => a.value - b.value);
    if (seen.length === 0) continue;
    let [lo, hi] = [seen[0]!.value, seen.at(-1)!.value];
    if (span === 'weighted') {
      const total = seen.reduce((n, v) => n + v.weight, 0);
      let cumulative = 0;
      for (const v of seen) {
        cumulative += v.weight;
        if (cumulative <= 0.05 * total) lo = v.value;
        if (cumulative - v.weight < 0.95 * total) hi = v.value;
      }
    }
    targets.push({ spec, lo: Math.floor(lo), hi: Math.ceil(hi) });
  }
  return targets;
}

/** Each slice's counts, and per target the count under its window and the values in it. */
function readWindows(store: Store, filter: IncidentFilter, targets: readonly Target[], slices: readonly Slice[] | undefined): Promise<StatsRow[]> {
  return Promise.all(
    (slices ?? [undefined]).map((slice) =>
      store.report.session(store.db, async (db) => {
        const sliced = slice ? { ...filter, since: slice.from, until: slice.to } : filter;
        return (await recoveredIncidents(db, sliced)
          .select([...countAggregates(), ...targets.flatMap((t, j) => windowAggregates(store, t, j))])
          .executeTakeFirstOrThrow()) as StatsRow;
      }),
    ),
  );
}

/** How many values lie under target j's window, and the values inside it. */
function windowAggregates(store: Store, t: Target, j: number): AliasedRawBuilder<unknown, string>[] {
  const { value } = t.spec;
  return [
    sql<number>`count(*) FILTER (WHERE ${value} < ${lit(t.lo)})`.as(`w${j}_below`),
    sql`${store.report.jsonArrayAgg(value)} FILTER (WHERE ${value} >= ${lit(t.lo)} AND ${value} <= ${lit(t.hi)})`.as(`w${j}_values`),
  ];
}

/**
 * The percentile from a window holding the values from rank `below` on, or undefined when the ranks it
 * needs lie outside the window.
 */
function fromWindow(below: number, window: Float64Array, fraction: number, n: number): number | null | undefined {
  if (n === 0) return null;
  const { rank, frac } = rankOf(fraction, n);
  const needsHi = frac > 0 && rank + 1 < n;
  const first = rank - below;
  if (first < 0 || first + (needsHi ? 1 : 0) >= window.length) return undefined;
  window.sort();
  return interpolate(window[first]!, needsHi ? window[first + 1]! : null, frac);
}

/** percentile_cont over the whole range, for the percentiles whose window missed. */
async function percentilesOverRange(store: Store, filter: IncidentFilter, specs: readonly PercentileSpec[]): Promise<StatsRow> {
  const columns = store.report.percentilesCont(specs.map(({ fraction, value }) => ({ fraction, value }))).map((e, i) => e.as(specs[i]!.name));
  return (await store.report.session(store.db, (db) => recoveredIncidents(db, filter).select(columns).executeTakeFirstOrThrow())) as StatsRow;
}
