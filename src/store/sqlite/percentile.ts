import type Sqlite from 'better-sqlite3';

/**
 * PostgreSQL's `percentile_cont(f) WITHIN GROUP (ORDER BY x)` for SQLite: the value at position
 * f × (n − 1) of the sorted non-null inputs, interpolated linearly between its neighbours with
 * PostgreSQL's own formula (lo + frac × (hi − lo)), so both engines return the same double for the same
 * rows; NULL for no rows.
 *
 * A query asks for several percentiles at once (MTTR's median and p90, each phase's median, …), and
 * what a report over a million incidents spends its time on is the call into JavaScript for every row,
 * and any copy of the values between SQLite and JavaScript. So:
 *
 *   medic_percentiles(list, x0, x1, …)
 *                            the user-defined aggregate: collects each x's non-null values (one call per
 *                            row for all of them), then computes every percentile of the list (an id
 *                            from percentileSpecId: pairs of column and fraction) by linear-time
 *                            selection and returns them as a small BLOB
 *   medic_pick(blob, j)      the j-th of those results (NULL for a column without values)
 *
 * Every percentile of a query is written `medic_pick(medic_percentiles('…', x0, x1, …), j)` with the
 * identical aggregate call, which SQLite evaluates once: one call per row instead of one per row and
 * percentile (the way PostgreSQL shares one sort between percentiles of the same input), and only the
 * few results cross back into SQLite, never the million values.
 *
 * For values at known ranks (ReportEngine.valuesAtRanks; not the path SQLite reports take):
 *
 *   medic_values(x)          collects the non-null values into a BLOB of float64s
 *   medic_value_at(blob, 0, k)   the k-th smallest of them (0-based), NULL outside
 *
 * SQLite builds compiled with SQLITE_ENABLE_PERCENTILE have a built-in `percentile_cont`; it copies and
 * sorts the values once per percentile, and ours has its own names so reports do not depend on how a
 * particular SQLite was compiled.
 */
export const PERCENTILES_AGGREGATE = 'medic_percentiles';
export const PICK = 'medic_pick';
export const VALUES_AGGREGATE = 'medic_values';
export const VALUE_AT = 'medic_value_at';

/** Per argument, its non-null values so far. */
interface Collector {
  columns: Float64Array[];
  counts: number[];
  /** medic_percentiles only: the requests, from its first argument. */
  requests?: { column: number; fraction: number }[];
  /** medic_percentiles only: where to keep the values for a union (0: nowhere). */
  keep?: number;
}

/**
 * Adds a row's values (arguments `from` onwards) to the group's columns. This runs for every row of a
 * report, so it reads `arguments` rather than collecting a rest array per call, and keeps the common
 * case (a number) on the fast path.
 */
function collect(state: Collector, args: IArguments, from: number): void {
  const k = args.length - from;
  if (state.columns.length === 0) {
    for (let i = 0; i < k; i++) {
      state.columns.push(new Float64Array(1024));
      state.counts.push(0);
    }
  }
  const { columns, counts } = state;
  for (let i = 0; i < k; i++) {
    const value: unknown = args[from + i];
    let x: number;
    if (typeof value === 'number') x = value;
    else if (value === null || value === undefined) continue;
    else x = Number(value);
    if (Number.isNaN(x)) continue;
    let column = columns[i]!;
    const n = counts[i]!;
    if (n === column.length) {
      const grown = new Float64Array(column.length * 2);
      grown.set(column);
      columns[i] = column = grown;
    }
    column[n] = x;
    counts[i] = n + 1;
  }
}

/**
 * The percentile lists queries ask for, by id. The aggregate takes the id (an integer) rather than the
 * list's text: SQLite hands every argument to JavaScript on every row, and a string costs far more to
 * convert than a number. Queries use a handful of lists, so the table stays tiny.
 */
const specs: { column: number; fraction: number }[][] = [];
const specIds = new Map<string, number>();

/** The id of a percentile list, for `medic_percentiles(id, …)`. */
export function percentileSpecId(requests: readonly { column: number; fraction: number }[]): number {
  const text = requests.map(({ column, fraction }) => `${column}:${fraction}`).join(';');
  let id = specIds.get(text);
  if (id === undefined) {
    for (const { column, fraction } of requests) {
      if (!Number.isInteger(column) || column < 0 || !(fraction >= 0 && fraction <= 1)) throw new RangeError(`bad percentile request ${column}:${fraction}`);
    }
    id = specs.push(requests.map((r) => ({ ...r }))) - 1;
    specIds.set(text, id);
  }
  return id;
}

function specOf(id: unknown): { column: number; fraction: number }[] {
  const spec = specs[Number(id)];
  if (!spec) throw new RangeError(`${PERCENTILES_AGGREGATE}: unknown percentile list ${String(id)}`);
  return spec;
}

/** `medic_percentiles(spec, x0, x1, …)` step: adds a row's values. */
function percentilesStep(state: Collector, spec: unknown, keep: unknown): void {
  if (state.requests === undefined) {
    state.requests = specOf(spec);
    state.keep = Number(keep);
  }
  // eslint-disable-next-line prefer-rest-params
  collect(state, arguments, 3);
}

/** The results as float64s, NaN for none; NULL when the group had no rows. */
function percentilesResult(state: Collector): Buffer | null {
  if (!state.requests) return null;
  const out = new Float64Array(state.requests.length);
  state.requests.forEach(({ column, fraction }, j) => {
    const n = state.counts[column] ?? 0;
    out[j] = n === 0 ? NaN : percentileCont(state.columns[column]!, n, fraction)!;
  });
  if (state.keep) kept.get(state.keep)?.groups.push(state.columns.map((c, i) => c.slice(0, state.counts[i])));
  return Buffer.from(out.buffer, out.byteOffset, out.byteLength);
}

/**
 * Values kept for a union: a report reads each period with medic_percentiles(list, key, …) and then
 * wants the percentiles of all its periods together. Reading every row a second time would double the
 * report's cost, and the values are already here (this process is the database), so the aggregate
 * keeps each group's columns under the report's key until the report releases them.
 */
const kept = new Map<number, { groups: Float64Array[][]; since: number }>();
let nextKey = 1;
/** Keys left behind (a report that crashed) are dropped after this long. */
const KEEP_MS = 10 * 60_000;

export function openKept(now = Date.now()): number {
  for (const [key, entry] of kept) if (now - entry.since > KEEP_MS) kept.delete(key);
  const key = nextKey++;
  kept.set(key, { groups: [], since: now });
  return key;
}

export function releaseKept(key: number): void {
  kept.delete(key);
}

/** percentile_cont of each request (kept column, fraction) over every group kept under `key`. */
export function keptPercentiles(key: number, requests: readonly { column: number; fraction: number }[]): (number | null)[] {
  const groups = kept.get(key)?.groups ?? [];
  const merged = new Map<number, Float64Array>();
  return requests.map(({ column, fraction }) => {
    let values = merged.get(column);
    if (!values) {
      values = new Float64Array(groups.reduce((n, g) => n + (g[column]?.length ?? 0), 0));
      let offset = 0;
      for (const g of groups) {
        values.set(g[column] ?? [], offset);
        offset += g[column]?.length ?? 0;
      }
      merged.set(column, values);
    }
    return percentileCont(values, values.length, fraction);
  });
}

/** `medic_pick(blob, j)`. */
function pick(blob: unknown, j: unknown): number | null {
  if (blob === null || blob === undefined) return null;
  if (!Buffer.isBuffer(blob)) throw new TypeError(`${PICK} expects the result of ${PERCENTILES_AGGREGATE}()`);
  const i = Number(j);
  if (!Number.isInteger(i) || i < 0 || (i + 1) * 8 > blob.length) throw new RangeError(`${PICK}: no result ${String(j)}`);
  const value = blob.readDoubleLE(i * 8);
  return Number.isNaN(value) ? null : value;
}

/** `medic_values(x0, x1, …)` step. */
function valuesStep(state: Collector): void {
  // eslint-disable-next-line prefer-rest-params
  collect(state, arguments, 1);
}

/** The BLOB: [k, n_0 … n_(k−1), column 0 values, column 1 values, …] as float64s. */
function valuesResult(state: Collector): Buffer | null {
  const k = state.columns.length;
  // No rows: no BLOB, and every order statistic of the group is NULL.
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

/** The value at 0-based `position` of column `index` of a `medic_values` BLOB sorted ascending; NULL outside. */
function valueAt(blob: unknown, index: unknown, position: unknown): number | null {
  if (blob === null || blob === undefined) return null;
  if (!Buffer.isBuffer(blob)) throw new TypeError(`${VALUE_AT} expects the result of ${VALUES_AGGREGATE}()`);
  // A Float64Array view needs 8-byte alignment; copy in the unlikely case the Buffer is not aligned.
  // better-sqlite3 hands over a copy, so reordering it in place is fine.
  const all = blob.byteOffset % 8 === 0 ? new Float64Array(blob.buffer, blob.byteOffset, blob.byteLength >> 3) : new Float64Array(new Uint8Array(blob).buffer);
  const k = all[0]!;
  const i = Number(index);
  if (!(Number.isInteger(i) && i >= 0 && i < k)) throw new RangeError(`${VALUE_AT}: no column ${String(index)} among ${k}`);
  let offset = 1 + k;
  for (let j = 0; j < i; j++) offset += all[1 + j]!;
  const column = all.subarray(offset, offset + all[1 + i]!);
  const p = Number(position);
  if (!Number.isInteger(p) || p < 0 || p >= column.length) return null;
  select(column, column.length, p);
  return column[p]!;
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
  // The typings model one-argument steps that return the next state; these take any number of
  // arguments and update the state in place.
  db.aggregate(PERCENTILES_AGGREGATE, {
    start: (): Collector => ({ columns: [], counts: [] }),
    step: percentilesStep as unknown as (state: Collector) => void,
    result: percentilesResult,
    varargs: true,
    deterministic: true,
  });
  db.function(PICK, { deterministic: true }, pick);
  db.aggregate(VALUES_AGGREGATE, {
    start: (): Collector => ({ columns: [], counts: [] }),
    step: valuesStep as unknown as (state: Collector) => void,
    result: valuesResult,
    varargs: true,
    deterministic: true,
  });
  db.function(VALUE_AT, { deterministic: true }, valueAt);
  if (!hasBuiltinPercentile(db)) registerFallbackPercentileCont(db);
}

function hasBuiltinPercentile(db: Sqlite.Database): boolean {
  try {
    db.prepare('SELECT percentile_cont(1, 0.5)');
    return true;
  } catch {
    return false;
  }
}

/**
 * `percentile_cont(x, fraction)` as SQLite builds with SQLITE_ENABLE_PERCENTILE have it (the one
 * better-sqlite3 bundles does), for a build without: the same interpolation as percentileCont.
 */
interface Values {
  values: Float64Array;
  n: number;
  fraction: number;
}

export function registerFallbackPercentileCont(db: Sqlite.Database): void {
  const step = (state: Values, value: unknown, fraction: unknown) => {
    state.fraction = Number(fraction);
    if (value === null || value === undefined) return;
    if (state.n === state.values.length) {
      const grown = new Float64Array(state.n * 2);
      grown.set(state.values);
      state.values = grown;
    }
    state.values[state.n++] = Number(value);
  };
  db.aggregate('percentile_cont', {
    start: (): Values => ({ values: new Float64Array(1024), n: 0, fraction: 0 }),
    step: step as unknown as (state: Values) => void,
    result: (state: Values) => percentileCont(state.values, state.n, state.fraction),
    deterministic: true,
  });
}
