import fc from 'fast-check';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseJsonArray } from '../../src/store/index.js';
import Sqlite from 'better-sqlite3';
import { percentileCont, registerFallbackPercentileCont } from '../../src/store/sqlite/percentile.js';
import { ENGINES, openTestStore, type TestStore } from '../helpers/stores.js';

/** PostgreSQL's percentile_cont by the book: sort, then interpolate between the two nearest ranks. */
function oracle(values: (number | null)[], fraction: number): number | null {
  const sorted = values.filter((v): v is number => v !== null).sort((a, b) => a - b);
  if (sorted.length === 0) return null;
  const position = fraction * (sorted.length - 1);
  const lo = Math.floor(position);
  const hi = Math.ceil(position);
  if (lo === hi) return sorted[lo]!;
  return sorted[lo]! + (position - lo) * (sorted[hi]! - sorted[lo]!);
}

const FRACTIONS = [0, 0.1, 0.25, 0.5, 0.9, 0.99, 1];

describe('percentileCont (the selection behind the SQLite aggregate)', () => {
  it('equals sorting and interpolating, with duplicates, negatives and any order', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: -1e12, max: 1e12 }), { minLength: 1, maxLength: 300 }), fc.constantFrom(...FRACTIONS, 0.333), (values, f) => {
        expect(percentileCont(Float64Array.from(values), values.length, f)).toBe(oracle(values, f));
      }),
      { numRuns: 1000 },
    );
    fc.assert(
      fc.property(fc.array(fc.constantFrom(0, 1, 2, 5), { minLength: 1, maxLength: 200 }), fc.double({ min: 0, max: 1, noNaN: true }), (values, f) => {
        expect(percentileCont(Float64Array.from(values), values.length, f)).toBe(oracle(values, f));
      }),
      { numRuns: 500 },
    );
  });

  it('stays right on sorted and reversed input', () => {
    const up = Array.from({ length: 10_001 }, (_, i) => i * 3);
    for (const values of [up, [...up].reverse()]) {
      for (const f of FRACTIONS) expect(percentileCont(Float64Array.from(values), values.length, f)).toBe(oracle(values, f));
    }
  });
});

describe.each(ENGINES)('ReportEngine.percentilesCont on %s', (engine) => {
  let t: TestStore;
  beforeAll(async () => {
    t = await openTestStore(engine);
  });
  afterAll(async () => t?.cleanup());

  const v = sql<number | null>`v`;
  const percentiles = (fractions: number[]) => t.store.report.percentilesCont(fractions.map((fraction) => ({ fraction, value: v })));

  /** The percentiles of `values` as the database computes them, grouped by `g`. */
  async function inDatabase(values: (number | null)[], groups: number[], fraction: number) {
    const rows = values.map((v, i) => sql`SELECT ${sql.lit(groups[i]!)} AS g, CAST(${v === null ? sql`NULL` : sql.lit(v)} AS BIGINT) AS v`);
    const result = await sql<{ g: number; p: number | null; p2: number | null }>`
      SELECT g, ${sql.join(percentiles([fraction, 0.5]).map((p, i) => sql`${p} AS ${sql.ref(i === 0 ? 'p' : 'p2')}`))}
      FROM (${sql.join(rows, sql` UNION ALL `)}) AS s GROUP BY g ORDER BY g`.execute(t.store.db);
    return result.rows.map((r) => ({ g: Number(r.g), p: r.p === null ? null : Number(r.p), p2: r.p2 === null ? null : Number(r.p2) }));
  }

  it('computes percentile_cont per group exactly as PostgreSQL defines it, ignoring NULLs', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.tuple(fc.integer({ min: 0, max: 3 }), fc.option(fc.integer({ min: -1e12, max: 1e12 }), { freq: 6 })), { minLength: 1, maxLength: 60 }),
        fc.constantFrom(...FRACTIONS),
        async (pairs, fraction) => {
          const rows = await inDatabase(pairs.map((p) => p[1]), pairs.map((p) => p[0]), fraction);
          const groups = [...new Set(pairs.map((p) => p[0]))].sort();
          expect(rows).toEqual(
            groups.map((g) => {
              const values = pairs.filter((p) => p[0] === g).map((p) => p[1]);
              return { g, p: oracle(values, fraction), p2: oracle(values, 0.5) };
            }),
          );
        },
      ),
      { numRuns: 40 },
    );
  });

  it('computes several percentiles of several values in one query, each column with its own NULLs', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(
          fc.tuple(fc.integer({ min: 0, max: 2 }), fc.option(fc.integer({ min: -1e9, max: 1e9 }), { freq: 4 }), fc.option(fc.integer({ min: 0, max: 1e6 }), { freq: 3 })),
          { minLength: 1, maxLength: 50 },
        ),
        async (rows) => {
          const a = sql<number | null>`a`;
          const b = sql<number | null>`b`;
          const sum = sql<number | null>`a + b`;
          const requests = [
            { fraction: 0.5, value: a },
            { fraction: 0.9, value: b },
            { fraction: 0.1, value: a },
            { fraction: 0.5, value: sum },
          ];
          const selected = t.store.report.percentilesCont(requests).map((p, i) => sql`${p} AS ${sql.ref(`p${i}`)}`);
          const literal = (x: number | null) => (x === null ? sql`CAST(NULL AS BIGINT)` : sql`CAST(${sql.lit(x)} AS BIGINT)`);
          const source = rows.map(([g, x, y]) => sql`SELECT ${sql.lit(g)} AS g, ${literal(x)} AS a, ${literal(y)} AS b`);
          const result = await sql<Record<string, number | null>>`SELECT g, ${sql.join(selected)} FROM (${sql.join(source, sql` UNION ALL `)}) AS s GROUP BY g ORDER BY g`.execute(t.store.db);
          const groups = [...new Set(rows.map((r) => r[0]))].sort();
          expect(result.rows.map((r) => [Number(r.g), r.p0, r.p1, r.p2, r.p3].map((x) => (x === null ? null : Number(x))))).toEqual(
            groups.map((g) => {
              const inGroup = rows.filter((r) => r[0] === g);
              const as = inGroup.map((r) => r[1]);
              const bs = inGroup.map((r) => r[2]);
              const sums = inGroup.map((r) => (r[1] === null || r[2] === null ? null : r[1] + r[2]));
              return [g, oracle(as, 0.5), oracle(bs, 0.9), oracle(as, 0.1), oracle(sums, 0.5)];
            }),
          );
        },
      ),
      { numRuns: 30 },
    );
  });

  it('computes one percentile as the engine’s own aggregate (percentileCont) exactly as percentilesCont does, on doubles', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.tuple(fc.integer({ min: 0, max: 2 }), fc.option(fc.double({ min: -1e9, max: 1e9, noNaN: true, noDefaultInfinity: true }).map((x) => x + 0), { freq: 6 })), { minLength: 1, maxLength: 60 }),
        fc.constantFrom(...FRACTIONS, 0.95),
        async (pairs, fraction) => {
          const rows = pairs.map(([g, x]) => sql`SELECT ${sql.lit(g)} AS g, CAST(${x === null ? sql`NULL` : sql.lit(x)} AS DOUBLE PRECISION) AS v`);
          const [many] = t.store.report.percentilesCont([{ fraction, value: v }]);
          const result = await sql<{ g: number; one: number | null; many: number | null }>`
            SELECT g, ${t.store.report.percentileCont(fraction, v)} AS one, ${many} AS many
            FROM (${sql.join(rows, sql` UNION ALL `)}) AS s GROUP BY g ORDER BY g`.execute(t.store.db);
          for (const r of result.rows) {
            const values = pairs.filter((p) => p[0] === Number(r.g)).map((p) => p[1]);
            expect(r.one === null ? null : Number(r.one)).toBe(oracle(values, fraction));
            expect(r.one === null ? null : Number(r.one)).toBe(r.many === null ? null : Number(r.many));
          }
        },
      ),
      { numRuns: 40 },
    );
  });

  it('returns NULL for a group of only NULLs, and over no rows', async () => {
    expect(await inDatabase([null, null], [1, 1], 0.5)).toEqual([{ g: 1, p: null, p2: null }]);
    const none = await t.store.db
      .selectFrom('incidents')
      .select(t.store.report.percentilesCont([{ fraction: 0.5, value: sql<number>`mttr_ms` }])[0]!.as('p'))
      .executeTakeFirstOrThrow();
    expect(none.p).toBeNull();
  });

  it('rejects a fraction outside 0 … 1', () => {
    expect(() => percentiles([0.5, 1.5])).toThrow(RangeError);
    expect(() => percentiles([Number.NaN])).toThrow(RangeError);
  });

  /** `values` as a derived table `s(g, v)`, all in group 0. */
  const table = (values: (number | null)[]) =>
    sql`(${sql.join(
      values.map((v) => sql`SELECT 0 AS g, ${v === null ? sql`CAST(NULL AS BIGINT)` : sql`CAST(${sql.lit(v)} AS BIGINT)`} AS v`),
      sql` UNION ALL `,
    )}) AS s`;

  it('reads the values at given ranks of a group whose count is known (valuesAtRanks)', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(fc.option(fc.integer({ min: -1e12, max: 1e12 }), { freq: 6 }), { minLength: 1, maxLength: 60 }), async (values) => {
        const sorted = values.filter((v): v is number => v !== null).sort((a, b) => a - b);
        if (sorted.length === 0) return;
        const ranks = [...new Set([0, sorted.length - 1, Math.floor(sorted.length / 2), Math.floor(sorted.length / 3)])];
        const [picked] = t.store.report.valuesAtRanks([{ value: v, count: sorted.length, ranks }]);
        const row = await sql<Record<string, unknown>>`SELECT ${sql.join(picked!.map((p, i) => sql`${p} AS ${sql.ref(`r${i}`)}`))} FROM ${table(values)}`.execute(t.store.db);
        expect(ranks.map((_, i) => Number(row.rows[0]![`r${i}`]))).toEqual(ranks.map((r) => sorted[r]));
      }),
      { numRuns: 30 },
    );
    expect(() => t.store.report.valuesAtRanks([{ value: v, count: 3, ranks: [3] }])).toThrow(RangeError);
  });

  it('gathers the values a filter lets through as a JSON array (jsonArrayAgg)', async () => {
    const agg = t.store.report.jsonArrayAgg(v);
    const row = await sql<{ all: unknown; some: unknown; none: unknown }>`
      SELECT ${agg} AS ${sql.ref('all')}, ${agg} FILTER (WHERE v > 2) AS ${sql.ref('some')}, ${agg} FILTER (WHERE v > 100) AS ${sql.ref('none')}
      FROM ${table([5, 1, 3, null])}`.execute(t.store.db);
    const { all, some, none } = row.rows[0]!;
    expect(parseJsonArray(all).sort()).toEqual([1, 3, 5]);
    expect(parseJsonArray(some).sort()).toEqual([3, 5]);
    expect(parseJsonArray(none)).toEqual([]);
  });

  it('keeps the values of groups for their union, where the engine computes percentiles itself', async () => {
    const keeper = t.store.report.keepPercentiles();
    if (engine === 'postgres') {
      expect(keeper).toBeUndefined();
      return;
    }
    const groups = [[5, 1, 9], [2, 8], [null, 7, 3, 4, 6]];
    for (const values of groups) {
      const [median] = keeper!.percentilesCont([{ fraction: 0.5, value: v }]);
      await sql`SELECT ${median} FROM ${table(values)}`.execute(t.store.db);
    }
    expect(keeper!.union([{ fraction: 0.5, value: v }, { fraction: 0.9, value: v }])).toEqual([5, oracle(groups.flat(), 0.9)]);
    keeper!.release();
    expect(keeper!.union([{ fraction: 0.5, value: v }])).toEqual([null]);
  });
});

describe('SQLite percentile_cont without SQLITE_ENABLE_PERCENTILE', () => {
  it('is registered in JavaScript with the built-in’s results', () => {
    const builtin = new Sqlite(':memory:');
    const fallback = new Sqlite(':memory:');
    registerFallbackPercentileCont(fallback);
    try {
      fc.assert(
        fc.property(fc.array(fc.option(fc.double({ min: -1e9, max: 1e9, noNaN: true, noDefaultInfinity: true }).map((x) => x + 0), { freq: 6 }), { maxLength: 80 }), fc.constantFrom(...FRACTIONS, 0.95), (values, fraction) => {
          const query = `SELECT percentile_cont(v, ${fraction}) AS p FROM (SELECT NULL AS v WHERE 0 ${values.map((x) => `UNION ALL SELECT ${x === null ? 'NULL' : `CAST(${x} AS REAL)`}`).join(' ')})`;
          const expected = (builtin.prepare(query).get() as { p: number | null }).p;
          expect((fallback.prepare(query).get() as { p: number | null }).p).toBe(expected);
          expect(expected).toBe(oracle(values, fraction));
        }),
        { numRuns: 300 },
      );
    } finally {
      builtin.close();
      fallback.close();
    }
  });
});
