import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BatchStatement } from '../../src/store/batch-statement.js';
import type { Store } from '../../src/store/index.js';
import { ENGINES, openTestStore, type TestStore } from '../helpers/stores.js';

/** A batch statement gives what Kysely would have built for the same rows, compiling once per size. */
describe.each(ENGINES)('batch statements on %s', (engine) => {
  let t: TestStore;
  let store: Store;
  beforeAll(async () => {
    t = await openTestStore(engine);
    store = t.store;
  });
  afterAll(async () => t?.cleanup());

  const COLUMNS = { id: 'bigint', name: 'text', n: 'integer' } as const;
  let builds = 0;
  const statement = new BatchStatement({ id: 'integer', name: 'text', n: 'integer' }, { min: 'integer' }, (rows, s, c: { engine: string; store: Store }) => {
    builds++;
    return sql<{ id: number; name: string; n: number }>`SELECT v.id, v.name, v.n FROM ${c.store.dialect.valuesTable('v', COLUMNS, rows)} WHERE v.n >= ${s.min} ORDER BY v.id`.compile(c.store.db);
  });
  const run = async (rows: { id: number; name: string; n: number }[], min: number) => {
    const { rows: out } = await store.db.executeQuery(statement.compile({ engine, store }, rows, { min }));
    return (out as { id: number; name: string; n: number }[]).map((r) => ({ id: Number(r.id), name: r.name, n: Number(r.n) }));
  };

  it('runs each batch with its own values, compiling the text once per size', async () => {
    const a = [{ id: 1, name: 'a', n: 5 }, { id: 2, name: "b'; --", n: 1 }];
    const b = [{ id: 7, name: 'x', n: 9 }, { id: 8, name: '', n: 9 }];
    expect(await run(a, 2)).toEqual([a[0]]);
    expect(await run(b, 0)).toEqual(b);
    expect(await run([{ id: 3, name: 'c', n: 0 }], 0)).toEqual([{ id: 3, name: 'c', n: 0 }]);
    expect(builds).toBe(2);
  });

  it('refuses a builder that puts a parameter of its own into the statement', () => {
    const constant = new BatchStatement({ id: 'integer' }, {}, (rows, _s, _c: { engine: string }) => sql`SELECT ${rows[0]!.id}, ${'fixed'}`.compile(store.db));
    expect(() => constant.compile({ engine }, [{ id: 1 }], {})).toThrow(/not a cell of the batch/);
  });
});
