import { Kysely, PostgresDialect, sql, type CreateTableBuilder, type Expression, type RawBuilder, type SelectQueryBuilder } from 'kysely';
import pg from 'pg';
import type { PercentileRequest, PeriodUnit, StoreDialect } from '../dialect.js';
import { checkFraction } from '../fraction.js';
import type { Database } from '../schema.js';

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
    // An idle client losing its server (a PostgreSQL restart) emits here; without a listener Node crashes.
    pool.on('error', () => {});
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

  appendOnlyStatements(table: string): string[] {
    return [
      `CREATE OR REPLACE FUNCTION medic_append_only() RETURNS trigger LANGUAGE plpgsql AS $$ ` +
        `BEGIN RAISE EXCEPTION '% is append-only', TG_TABLE_NAME; END $$`,
      `DROP TRIGGER IF EXISTS ${table}_append_only ON ${table}`,
      `CREATE TRIGGER ${table}_append_only BEFORE UPDATE OR DELETE ON ${table} FOR EACH ROW EXECUTE FUNCTION medic_append_only()`,
    ];
  }

  utcPeriod(unit: PeriodUnit, millis: Expression<number | null>): RawBuilder<string | null> {
    const format = unit === 'month' ? 'YYYY-MM' : 'IYYY-"W"IW';
    // Dividing by a double, not the numeric 1000.0, halves the cost over a million rows; whole seconds
    // stay exact and a fraction never rounds across a period boundary at microsecond precision.
    return sql<string | null>`to_char(to_timestamp(${millis} / 1000::double precision) AT TIME ZONE 'UTC', ${sql.lit(format)})`;
  }

  percentilesCont(requests: readonly PercentileRequest[]): RawBuilder<number | null>[] {
    // PostgreSQL sorts each distinct input once and shares it between the percentiles taken from it.
    return requests.map(({ fraction, value }) => sql<number | null>`percentile_cont(${sql.lit(checkFraction(fraction))}) WITHIN GROUP (ORDER BY ${value})`);
  }

  isUniqueViolation(err: unknown): boolean {
    return (err as { code?: string })?.code === '23505';
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
