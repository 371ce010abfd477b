import type Sqlite from 'better-sqlite3';

/**
 * PostgreSQL's `percentile_cont(f) WITHIN GROUP (ORDER BY x)` for SQLite: the value at position
 * f × (n − 1) of the sorted non-null inputs, interpolated linearly between its neighbours with
 * PostgreSQL's own formula (lo + frac × (hi − lo)), so both engines return the same double for the same
 * rows; NULL for no rows.
 *
 * A query asks for several percentiles at once (MTTR's median and p90, each phase's median, …), and
 * what a report over a million incidents spends its time on is the call into JavaScript for every row
 * and every aggregate. So it comes in two parts:
 *
 *   medic_values(x1, x2, …)            the user-defined aggregate: collects each argument's non-null
 *                                      values into one BLOB of float64 columns
 *   medic_percentile_cont(blob, i, f)  picks percentile f of column i, in linear time
 *
 * Every percentile of a query is written `medic_percentile_cont(medic_values(x1, x2, …), i, f)` with the
 * same `medic_values(…)` call, which SQLite evaluates once: one call per row instead of one per row and
 * percentile, the way PostgreSQL shares one sort between percentiles of the same input.
 *
 * SQLite builds compiled with SQLITE_ENABLE_PERCENTILE have a built-in `percentile_cont`; ours has its
 * own names so reports do not depend on how a particular SQLite was compiled.
 */
export const VALUES_AGGREGATE = 'medic_values';
export const PERCENTILE_CONT = 'medic_percentile_cont';

/** Per argument, its non-null values so far. */
interface Collector {
  columns: Float64Array[];
  counts: number[];
}

function add(state: Collector, i: number, value: unknown): void {
  if (value === null || value === undefined) return;
  const x = typeof value === 'number' ? value : Number(value);
  if (Number.isNaN(x)) return;
  let column = state.columns[i]!;
  const n = state.counts[i]!;
  if (n === column.length) {
    const grown = new Float64Array(column.length * 2);
    grown.set(column);
    state.columns[i] = column = grown;
  }
  column[n] = x;
  state.counts[i] = n + 1;
}

/** `medic_values(x0, x1, …)`: adds a row's values to the group's columns. */
function step(state: Collector, ...values: unknown[]): void {
  const k = values.length;
  if (state.columns.length === 0) {
    for (let i = 0; i < k; i++) {
      state.columns.push(new Float64Array(1024));
      state.counts.push(0);
    }
  }
  for (let i = 0; i < k; i++) add(state, i, values[i]);
}

/** The BLOB: [k, n_0 … n_(k−1), column 0 values, column 1 values, …] as float64s. */
function collected(state: Collector): Buffer | null {
  const k = state.columns.length;
  // No rows: no BLOB, and every percentile of the group is NULL.
  if (k === 0) return null;
  const out = new Float64Array(1 + k + state.counts.reduce((a, b) => a + b, 0));
  out[0] = k;
  let offset = 1 + k;
  for (let i = 0; i < k; i++) {
    const n = state.counts[i]!;
    out[1 + i] = n;
    out.set(state.columns[i]!.subarray(0, n), offset);
    offset += n;
  }
  return Buffer.from(out.buffer, out.byteOffset, out.byteLength);
}

/** Percentile `fraction` of column `index` of a `medic_values` BLOB (which better-sqlite3 hands over as a copy, free to reorder). */
function percentileOfBlob(blob: unknown, index: unknown, fraction: unknown): number | null {
  if (blob === null || blob === undefined) return null;
  if (!Buffer.isBuffer(blob)) throw new TypeError(`${PERCENTILE_CONT} expects the result of ${VALUES_AGGREGATE}()`);
  const f = Number(fraction);
  if (!(f >= 0 && f <= 1)) throw new RangeError(`percentile value ${String(fraction)} is not between 0 and 1`);
  // A Float64Array view needs 8-byte alignment; copy in the unlikely case the Buffer is not aligned.
  const all = blob.byteOffset % 8 === 0 ? new Float64Array(blob.buffer, blob.byteOffset, blob.byteLength >> 3) : new Float64Array(new Uint8Array(blob).buffer);
  const k = all[0]!;
  const i = Number(index);
  if (!(Number.isInteger(i) && i >= 0 && i < k)) throw new RangeError(`${PERCENTILE_CONT}: no column ${String(index)} among ${k}`);
  let offset = 1 + k;
  for (let j = 0; j < i; j++) offset += all[1 + j]!;
  const n = all[1 + i]!;
  return percentileCont(all.subarray(offset, offset + n), n, f);
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
    start: (): Collector => ({ columns: [], counts: [] }),
    // The typings model one-argument steps that return the next state; this one takes any number of
    // arguments and updates the state in place.
    step: step as unknown as (state: Collector) => void,
    result: collected,
    varargs: true,
    deterministic: true,
  });
  db.function(PERCENTILE_CONT, { deterministic: true }, percentileOfBlob);
}
