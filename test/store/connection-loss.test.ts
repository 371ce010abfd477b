import { sql } from 'kysely';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isConnectionError } from '../../src/store/postgres/postgres-dialect.js';
import { openTestStore, PG_BASE_URL, type TestStore } from '../helpers/stores.js';

/**
 * A PostgreSQL connection that goes away under a running process (a server restart, a network cut, an
 * administrator's pg_terminate_backend): the statement in flight fails with an error the dialect calls
 * unavailable, the process does not crash (pg emits 'error' on a client that is checked out between two
 * statements of a transaction, which kills Node when nobody listens), and the next query reconnects.
 * Only this test's own backends are terminated: other sessions on the shared server are untouched.
 */
describe('a PostgreSQL connection lost under the store', () => {
  let t: TestStore;
  let admin: pg.Client;
  beforeAll(async () => {
    t = await openTestStore('postgres');
    admin = new pg.Client({ connectionString: PG_BASE_URL });
    await admin.connect();
  });
  afterAll(async () => {
    await admin.end();
    await t.cleanup();
  });

  const terminate = (pid: number) => admin.query('SELECT pg_terminate_backend($1)', [pid]);

  it('fails the transaction whose connection was terminated between two statements, and the process lives on', async () => {
    const failure = await t.store
      .transaction(async (trx) => {
        const { rows } = await sql<{ pid: number }>`SELECT pg_backend_pid() AS pid`.execute(trx);
        await terminate(rows[0]!.pid);
        // The server's goodbye arrives while the client is checked out and idle: the 'error' event.
        await new Promise((r) => setTimeout(r, 200));
        await sql`SELECT 1`.execute(trx);
      })
      .then(
        () => undefined,
        (err: unknown) => err,
      );
    expect(failure).toBeInstanceOf(Error);
    expect(t.store.dialect.isUnavailable(failure)).toBe(true);
    // The dead client went back to the pool marked unusable: the next query gets a fresh connection.
    await expect(t.store.ping()).resolves.toBeUndefined();
  });

  it('fails a statement whose connection is terminated while it runs, then reconnects', async () => {
    const slow = t.store.transaction(async (trx) => {
      const { rows } = await sql<{ pid: number }>`SELECT pg_backend_pid() AS pid`.execute(trx);
      setTimeout(() => void terminate(rows[0]!.pid), 100);
      await sql`SELECT pg_sleep(5)`.execute(trx);
    });
    const err = await slow.then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(t.store.dialect.isUnavailable(err)).toBe(true);
    await expect(t.store.ping()).resolves.toBeUndefined();
  });

  it('tells connection failures from errors of the statement itself', async () => {
    const refused = await new pg.Client({ connectionString: 'postgres://postgres@127.0.0.1:1/test' }).connect().then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(isConnectionError(refused)).toBe(true);
    expect(isConnectionError(Object.assign(new Error('terminating connection due to administrator command'), { code: '57P01' }))).toBe(true);
    expect(isConnectionError(Object.assign(new Error('the database system is starting up'), { code: '57P03' }))).toBe(true);
    expect(isConnectionError(new Error('Connection terminated unexpectedly'))).toBe(true);
    expect(isConnectionError(new Error('wrapped', { cause: Object.assign(new Error('x'), { code: 'ECONNRESET' }) }))).toBe(true);
    const syntax = await sql`SELEC 1`.execute(t.store.db).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(isConnectionError(syntax)).toBe(false);
    expect(isConnectionError(Object.assign(new Error('duplicate key'), { code: '23505' }))).toBe(false);
  });
});
