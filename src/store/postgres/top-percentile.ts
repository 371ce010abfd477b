import { sql, type Expression } from 'kysely';
import { checkFraction } from '../fraction.js';
import { readCountAndPercentile, type CountAndPercentile, type RangeQuery } from '../report-engine.js';

/**
 * A count and a high percentile_cont (a p95) of a range read again and again (the command center's
 * windows, every second), on PostgreSQL, with the server's answer to the last bit but without sorting
 * every value. percentile_cont sorts all of them: over the 50,000 runs of a window that sort is more
 * than half the query (measured: 6.7 ms with it, 3.0 ms counting and collecting the values above a
 * threshold). The values at the ranks a high percentile needs are among the largest few; so the
 * range is read once counting every row and collecting only the values at or above a hint (where the
 * value at `fraction − (1 − fraction) / 4` was last time: a quarter more values than needed), sorted here, and
 * interpolated exactly as the server's percentile_cont does. When the hint no longer holds enough
 * values (the durations dropped), the full percentile_cont is asked for, with the new hint from the
 * same sort. A hint only decides how much is read, never the answer.
 */

/** `kept`: the hints by key, one map per store (its report engine's). */
export async function countAndTopPercentile(kept: Map<string, number>, key: string, fraction: number, value: Expression<number>, query: RangeQuery): Promise<CountAndPercentile> {
  const f = checkFraction(fraction);
  // A quarter more values than the ranks need: the margin a sliding window's small shifts stay within,
  // without parsing and sorting many more values here than the server is spared.
  const hintFraction = Math.max(0, f - (1 - f) / 4);
  const hint = kept.get(key);
  if (hint !== undefined && f >= 0.5) {
    const row = await query([sql`count(*)`.as('n'), sql`array_to_string(array_agg(${value}) FILTER (WHERE ${value} >= ${hint}), ',')`.as('top')]);
    const n = Number(row.n);
    if (n === 0) return { count: 0, value: null };
    // Every value at or above the hint, so the largest `top.length` values: ascending ranks n - m … n - 1.
    // As text split here: pg's array parser reads the thousands of values a character at a time, several
    // times slower; and a typed array sorts numbers natively, several times faster than a comparator.
    const text = row.top as string | null;
    const top = Float64Array.from(text ? text.split(',') : [], Number).sort();
    const first = n - top.length;
    const position = f * (n - 1);
    if (Math.floor(position) >= first) {
      kept.set(key, top[Math.max(0, Math.floor(hintFraction * (n - 1)) - first)]!);
      return { count: n, value: interpolate(position, (rank) => top[rank - first]!) };
    }
  }
  const row = await query([
    sql`count(*)`.as('n'),
    sql`percentile_cont(${sql.lit(f)}) WITHIN GROUP (ORDER BY ${value})`.as('p'),
    // The same sort (the server shares it between ordered-set aggregates of one input). Twice the ranks
    // needed: percentile_disc rounds its rank up, and the margin must hold ranks, not only a fraction,
    // from some f / (1 − f) values on (19 for a p95); below that a range is read in full, cheaply.
    sql`percentile_disc(${sql.lit(Math.max(0, 2 * f - 1))}) WITHIN GROUP (ORDER BY ${value})`.as('hint'),
  ]);
  if (row.hint !== null && row.hint !== undefined) kept.set(key, Number(row.hint));
  return readCountAndPercentile(row);
}

/** PostgreSQL's percentile_cont final step (percentile_cont_final_common with float8_lerp), in the same float arithmetic. */
function interpolate(position: number, at: (rank: number) => number): number {
  const lo = Math.floor(position);
  const hi = Math.ceil(position);
  if (hi === lo) return at(lo);
  const low = at(lo);
  return low + (position - lo) * (at(hi) - low);
}
