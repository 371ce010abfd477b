import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ValuesColumns } from '../../src/store/index.js';
import { ENGINES, openTestStore, type TestStore } from '../helpers/stores.js';

/**
 * StoreDialect.valuesTable: literal rows as a table with named, typed columns. Each engine names the
 * columns of VALUES its own way; what a caller reads back must be the same rows on both.
 */

const COLUMNS = { id: 'bigint', at: 'bigint', streak: 'integer', status: 'text', error: 'text' } as const satisfies ValuesColumns<string>;
const ROWS = [
  { id: 1, at: 1_764_000_000_000, streak: 0, status: 'up', error: null },
  { id: 2, at: Number.MAX_SAFE_INTEGER, streak: 2 ** 31 - 1, status: 'down', error: `it's "quoted" — ünïcode; DROP TABLE x` },
  { id: 3, at: null, streak: -(2 ** 31), status: '', error: '' },
];

describe.each(ENGINES)('valuesTable on %s', (engine) => {
  let t: TestStore;
  beforeAll(async () => {
    t = await openTestStore(engine);
  });
  afterAll(async () => t?.cleanup());

  it('reads back the rows as given, under the names and types given', async () => {
    const v = t.store.dialect.valuesTable('v', COLUMNS, ROWS);
    const { rows } = await sql<Record<string, unknown>>`SELECT * FROM ${v} ORDER BY v.id`.execute(t.store.db);
    expect(rows).toStrictEqual(ROWS);
    // A query may name the columns in any order and compare them by type.
    const picked = await sql<{ status: string; id: number }>`SELECT v.status, v.id FROM ${v} WHERE v.at > ${1_000} AND v.streak >= 0 ORDER BY v.id DESC`.execute(t.store.db);
    expect(picked.rows).toStrictEqual([
      { status: 'down', id: 2 },
      { status: 'up', id: 1 },
    ]);
  });

  it('updates a batch of rows with different values in one UPDATE … FROM', async () => {
    const { db, dialect } = t.store;
    await sql`CREATE TABLE values_target (id bigint PRIMARY KEY, at bigint, streak integer, status text, error text)`.execute(db);
    await sql`INSERT INTO values_target (id, at, streak, status, error) VALUES (1, 5, 5, 'x', 'old'), (2, 5, 5, 'x', 'old'), (9, 5, 5, 'x', 'old')`.execute(db);
    // Row 3 has no target: an UPDATE … FROM joins, so it changes nothing.
    const v = dialect.valuesTable('v', COLUMNS, ROWS);
    const r = await sql`UPDATE values_target SET at = v.at, streak = v.streak, status = v.status, error = v.error FROM ${v} WHERE values_target.id = v.id`.execute(db);
    expect(Number(r.numAffectedRows)).toBe(2);
    const { rows } = await sql`SELECT * FROM values_target ORDER BY id`.execute(db);
    expect(rows).toStrictEqual([ROWS[0], ROWS[1], { id: 9, at: 5, streak: 5, status: 'x', error: 'old' }]);
  });

  it('refuses, before any SQL, a cell the engines would take differently', () => {
    const { dialect } = t.store;
    const bad: [ValuesColumns<'c'>, unknown][] = [
      [{ c: 'bigint' }, 1.5],
      [{ c: 'bigint' }, '12'],
      [{ c: 'bigint' }, 2 ** 53],
      [{ c: 'integer' }, 2 ** 31],
      [{ c: 'text' }, 12],
      [{ c: 'text' }, undefined],
    ];
    for (const [columns, value] of bad) {
      expect(() => dialect.valuesTable('v', columns, [{ c: value as string }]), JSON.stringify([columns, value])).toThrow(RangeError);
    }
    expect(() => dialect.valuesTable('v', COLUMNS, [])).toThrow(RangeError);
    expect(() => dialect.valuesTable('v', { c: 'real' as 'text' }, [{ c: 'x' }])).toThrow(/unknown type/);
  });
});
