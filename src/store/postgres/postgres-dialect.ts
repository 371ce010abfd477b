import { Kysely, PostgresDialect, sql, type CreateTableBuilder, type RawBuilder, type SelectQueryBuilder } from 'kysely';
import pg from 'pg';
import type { StoreDialect } from '../dialect.js';
import type { ReportEngine } from '../report-engine.js';
import type { Database } from '../schema.js';
import { valuesColumnNames, valuesList, type ValuesColumns, type ValuesRow } from '../values-table.js';
import { PostgresReportEngine } from './report-engine.js';

/**
 * `postgres://user:pass@host:5432/db?schema=medic`. The `schema` parameter (Medic's own, removed before
 * the URL reaches pg) puts every table in that schema, so several Medics or test runs share a database.
 */
export function parsePostgresUrl(url: string): { connectionString: string; schema: string | undefined } {
  const parsed = new URL(url);
  const schema = parsed.searchParams.get('schema') ?? undefined;
  parsed.searchParams.delete('schema');
  if (schema !== undefined && !/^[a-z_][a-z0-9_]*$/i.test(schema)) throw new Error(`invalid schema name in storage.url: ${schema}`);
  return { connectionString: parsed.toString(), schema };
}

// Timestamps are bigint milliseconds and aggregates come back as numeric: both fit a JS number, and
// one value type on both engines is the point. Scoped to our pool rather than pg's global parsers.
const INT8 = 20;
const NUMERIC = 1700;
const types = {
  getTypeParser(oid: number, format?: string) {
    if (oid === INT8 || oid === NUMERIC) return (v: string) => (v === null ? null : Number(v));
    return pg.types.getTypeParser(oid, format as 'text');
  },
} as unknown as pg.CustomTypesConfig;

export class PostgresStoreDialect implements StoreDialect {
  readonly engine = 'postgres' as const;
  /** The Bind message counts parameters in an Int16: 65,535 at most. */
  readonly maxParameters = 65_535;
  private readonly connectionString: string;
  readonly schema: string | undefined;

  constructor(
    url: string,
    private readonly poolSize: number,
  ) {
    const parsed = parsePostgresUrl(url);
    this.connectionString = parsed.connectionString;
    this.schema = parsed.schema;
  }

  get migrationSchema(): string {
    return this.schema ?? 'public';
  }

  get description(): string {
    const u = new URL(this.connectionString);
    return `postgres ${u.host}${u.pathname}${this.schema ? ` schema ${this.schema}` : ''}`;
  }

  connect(): Kysely<Database> {
    const pool = new pg.Pool({
      connectionString: this.connectionString,
      max: this.poolSize,
      types,
      // Each connection looks in our schema first; created by prepare() before anything else runs.
      options: this.schema ? `-c search_path=${this.schema}` : undefined,
      connectionTimeoutMillis: 10_000,
    });
    // A client losing its server (a PostgreSQL restart, a network cut) emits 'error'; with no listener
    // Node crashes the process. The pool listens on idle clients (and drops them); a client that is
    // checked out (inside a transaction, between two statements) has no listener of the pool's, so each
    // gets one of its own. The statement in flight fails, the caller sees that error, and the pool
    // discards the client when it comes back, so the next query opens a fresh connection.
    pool.on('error', () => {});
    pool.on('connect', (client) => client.on('error', () => {}));
    return new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
  }

  addIdColumn<T extends string>(table: CreateTableBuilder<T, never>): CreateTableBuilder<T, 'id'> {
    return table.addColumn('id', 'bigserial', (c) => c.primaryKey());
  }

  lockSkipLocked<Q extends SelectQueryBuilder<Database, keyof Database, unknown>>(query: Q): Q {
    return query.forUpdate().skipLocked() as Q;
  }

  lockRows<Q extends SelectQueryBuilder<Database, keyof Database, unknown>>(query: Q): Q {
    return query.forUpdate() as Q;
  }

  async lockKey(db: Kysely<Database>, key: string): Promise<void> {
    await sql`SELECT pg_advisory_xact_lock(hashtextextended(${key}, 0))`.execute(db);
  }

  async lockKeys(db: Kysely<Database>, keys: readonly string[]): Promise<void> {
    if (keys.length === 0) return;
    // One statement; a function scan of unnest yields rows in array order, so the locks are taken in it.
    await sql`SELECT pg_advisory_xact_lock(hashtextextended(k, 0)) FROM unnest(${[...keys]}::text[]) WITH ORDINALITY AS t(k, i) ORDER BY i`.execute(db);
  }

  appendOnlyStatements(table: string): string[] {
    return [
      `CREATE OR REPLACE FUNCTION medic_append_only() RETURNS trigger LANGUAGE plpgsql AS $$ ` +
        `BEGIN RAISE EXCEPTION '% is append-only', TG_TABLE_NAME; END $$`,
      `DROP TRIGGER IF EXISTS ${table}_append_only ON ${table}`,
      `CREATE TRIGGER ${table}_append_only BEFORE UPDATE OR DELETE ON ${table} FOR EACH ROW EXECUTE FUNCTION medic_append_only()`,
    ];
  }

  valuesTable<C extends string>(alias: string, columns: ValuesColumns<C>, rows: readonly ValuesRow<C>[]): RawBuilder<unknown> {
    return sql`(${valuesList(columns, rows)}) AS ${sql.id(alias)}(${sql.join(valuesColumnNames(columns).map((name) => sql.id(name)))})`;
  }

  createReportEngine(): ReportEngine {
    return new PostgresReportEngine(this.poolSize);
  }

  isUniqueViolation(err: unknown): boolean {
    return (err as { code?: string })?.code === '23505';
  }

  isUnavailable(err: unknown): boolean {
    return isConnectionError(err);
  }

  async prepare(db: Kysely<Database>): Promise<void> {
    if (!this.schema) return;
    try {
      await sql`CREATE SCHEMA IF NOT EXISTS ${sql.id(this.schema)}`.execute(db);
    } catch (err) {
      // Two processes starting at once may both try; the loser sees a duplicate key, and the schema exists.
      if (!this.isUniqueViolation(err)) throw err;
    }
  }
}

/** SQLSTATEs of a server that is going away, starting up, or out of connections (class 08: connection exceptions). */
const UNAVAILABLE_STATES = new Set(['57P01', '57P02', '57P03', '53300']);
/** Socket errors of a server that cannot be reached. */
const UNAVAILABLE_ERRNOS = new Set(['ECONNREFUSED', 'ECONNRESET', 'EPIPE', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENETUNREACH', 'EAI_AGAIN', 'ENOTFOUND']);
/** What pg says, without a code, when a connection ends under it or cannot be made in time. */
const UNAVAILABLE_MESSAGES = [/^Connection terminated/, /^timeout exceeded when trying to connect/, /is not queryable$/];

/** Whether an error (or an error it wraps) says the PostgreSQL server could not be reached or went away. */
export function isConnectionError(err: unknown, depth = 0): boolean {
  if (!err || typeof err !== 'object' || depth > 4) return false;
  const e = err as { code?: unknown; message?: unknown; cause?: unknown; errors?: unknown };
  if (typeof e.code === 'string' && (e.code.startsWith('08') || UNAVAILABLE_STATES.has(e.code) || UNAVAILABLE_ERRNOS.has(e.code))) return true;
  if (typeof e.message === 'string' && UNAVAILABLE_MESSAGES.some((re) => re.test(e.message as string))) return true;
  if (Array.isArray(e.errors) && e.errors.some((inner) => isConnectionError(inner, depth + 1))) return true;
  return isConnectionError(e.cause, depth + 1);
}
