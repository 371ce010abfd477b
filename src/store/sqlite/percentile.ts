import type Sqlite from 'better-sqlite3';

/**
 * PostgreSQL's `percentile_cont(f) WITHIN GROUP (ORDER BY x)` for SQLite, as
 * `medic_percentile_cont(medic_values(x), f)`: the value at position f × (n − 1) of the sorted non-null
 * inputs, interpolated linearly between its neighbours with PostgreSQL's own formula
 * (lo + frac × (hi − lo)), so both engines return the same double for the same rows; NULL for no rows.
 *
 * It is split in two for speed, the way PostgreSQL shares one sort between percentiles of the same
 * input: `medic_values(x)`, the user-defined aggregate, collects a group's values into a BLOB of
 * float64s, and `medic_percentile_cont(blob, f)` picks the percentile from it. SQLite evaluates identical
 * aggregate calls once, so the median and p90 of MTTR cost one collection, and the per-row call, which
 * dominates a report over a million incidents, carries one argument instead of two. The pick selects
 * the two neighbours in linear time instead of sorting.
 *
 * SQLite builds compiled with SQLITE_ENABLE_PERCENTILE have a built-in `percentile_cont`; ours has its
 * own names so reports do not depend on how a particular SQLite was compiled.
 */
export const VALUES_AGGREGATE = 'medic_values';
export const PERCENTILE_CONT = 'medic_percentile_cont';

interface Collector {
  values: Float64Array;
  n: number;
}

function step(state: Collector, value: unknown): void {
  if (value === null || value === undefined) return;
  const x = typeof value === 'number' ? value : Number(value);
  if (Number.isNaN(x)) return;
  if (state.n === state.values.length) {
    const grown = new Float64Array(state.values.length * 2);
    grown.set(state.values);
    state.values = grown;
  }
  state.values[state.n++] = x;
}

function collected(state: Collector): Buffer | null {
  return state.n === 0 ? null : Buffer.from(state.values.buffer, 0, state.n * 8);
}

/** The percentile of a `medic_values` BLOB (which better-sqlite3 hands over as a copy, free to reorder). */
function percentileOfBlob(blob: unknown, fraction: unknown): number | null {
  if (blob === null || blob === undefined) return null;
  if (!Buffer.isBuffer(blob)) throw new TypeError(`${PERCENTILE_CONT} expects the result of ${VALUES_AGGREGATE}()`);
  const f = Number(fraction);
  if (!(f >= 0 && f <= 1)) throw new RangeError(`percentile value ${String(fraction)} is not between 0 and 1`);
  const n = blob.byteLength >> 3;
  // A Float64Array view needs 8-byte alignment; copy in the unlikely case the Buffer is not aligned.
  const values = blob.byteOffset % 8 === 0 ? new Float64Array(blob.buffer, blob.byteOffset, n) : new Float64Array(new Uint8Array(blob).buffer, 0, n);
  return percentileCont(values, n, f);
}

/** Rearranges a[0..n) so that a[k] holds the k-th smallest value, smaller ones before it and larger after. */
function select(a: Float64Array, n: number, k: number): void {
  let lo = 0;
  let hi = n - 1;
  while (lo < hi) {
    // Median of three as the pivot: sorted or reversed input (incidents inserted in time order) stays linear.
    const mid = lo + ((hi - lo) >> 1);
    const x = median3(a[lo]!, a[mid]!, a[hi]!);
    let i = lo;
    let j = hi;
    do {
      while (a[i]! < x) i++;
      while (x < a[j]!) j--;
      if (i <= j) {
        const t = a[i]!;
        a[i] = a[j]!;
        a[j] = t;
        i++;
        j--;
      }
    } while (i <= j);
    if (j < k) lo = i;
    if (k < i) hi = j;
  }
}

function median3(a: number, b: number, c: number): number {
  return a < b ? (b < c ? b : a < c ? c : a) : a < c ? a : b < c ? c : b;
}

/** percentile_cont over the first n values of `values` (which it reorders). */
export function percentileCont(values: Float64Array, n: number, fraction: number): number | null {
  if (n === 0) return null;
  const position = fraction * (n - 1);
  const first = Math.floor(position);
  select(values, n, first);
  const lo = values[first]!;
  if (first === position || first + 1 >= n) return lo;
  // The next value up is the smallest of those after `first`, all of which are ≥ lo after select().
  let hi = values[first + 1]!;
  for (let i = first + 2; i < n; i++) if (values[i]! < hi) hi = values[i]!;
  return lo + (position - first) * (hi - lo);
}

export function registerPercentileCont(db: Sqlite.Database): void {
  db.aggregate(VALUES_AGGREGATE, {
    start: (): Collector => ({ values: new Float64Array(1024), n: 0 }),
    // The typings model steps that return the next state; this one updates it in place.
    step: step as unknown as (state: Collector) => void,
    result: collected,
    deterministic: true,
  });
  db.function(PERCENTILE_CONT, { deterministic: true }, percentileOfBlob);
}
