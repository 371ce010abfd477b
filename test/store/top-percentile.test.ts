import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { insertMonitor, insertResults } from '../helpers/command-center.js';
import { openTestStore, type TestStore } from '../helpers/stores.js';

/**
 * PostgreSQL's report engine's countAndPercentile (postgres/top-percentile.ts) reads only the values above a hint from the last read: whatever the hint, its
 * answer is the server's own percentile_cont, to the last bit, as the durations rise, fall and tie.
 */

function random(seed: number) {
  let x = seed;
  return () => {
    x = (x * 1103515245 + 12345) % 2147483648;
    return x / 2147483648;
  };
}

describe('countAndPercentile on postgres', () => {
  let t: TestStore;
  let monitor: number;
  beforeAll(async () => {
    t = await openTestStore('postgres');
    monitor = await insertMonitor(t.store.db, { name: 'm', service: 'alpha', status: 'up', enabled: true }, 0);
  });
  afterAll(async () => t?.cleanup());

  it('equals percentile_cont as the values shift under a kept hint', async () => {
    const db = t.store.db;
    const next = random(7);
    const reads = { fast: 0, full: 0 };
    // Scales that rise and fall (a hint from a higher world holds too few values), ties, tiny ranges.
    const worlds = [
      [200, 1000],
      [300, 1000],
      [50, 10],
      [120, 1],
      [400, 100_000],
      [1, 5],
      [0, 5],
      [97, 3000],
      [98, 2000.5],
      [20, 0.001],
    ] as const;
    for (const [n, scale] of worlds) {
      await db.deleteFrom('check_results').execute();
      const ties = scale === 1;
      await insertResults(db, monitor, Array.from({ length: n }, (_, i) => [1000 + i, 'up', ties ? Math.floor(next() * 3) : Math.round(next() * scale * 1000) / 1000] as [number, 'up', number]));
      for (const fraction of [0.95, 0.99, 0.5]) {
        const want = await db
          .selectFrom('check_results as r')
          .select([sql<string>`count(*)`.as('n'), sql<number | null>`percentile_cont(${sql.lit(fraction)}) WITHIN GROUP (ORDER BY r.duration_ms)`.as('p')])
          .executeTakeFirstOrThrow();
        for (let again = 0; again < 2; again++) {
          const before = { ...reads };
          const got = await t.store.report.countAndPercentile(`test ${fraction}`, fraction, sql.ref('r.duration_ms'), (columns) => {
            reads[columns.length === 2 ? 'fast' : 'full']++;
            return db.selectFrom('check_results as r').select(columns).executeTakeFirstOrThrow();
          });
          expect(got).toEqual({ count: Number(want.n), value: want.p === null ? null : Number(want.p) });
          // Read again at once, the hint holds: one read of the values above it (from f / (1 − f) values on).
          if (again === 1 && n >= 100) expect(reads).toEqual({ ...before, fast: before.fast + 1 });
        }
      }
    }
    expect(reads.fast).toBeGreaterThan(reads.full);
  });
});
