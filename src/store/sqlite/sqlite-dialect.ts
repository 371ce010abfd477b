import { mkdirSync } from 'node:fs';
import path from 'node:path';
import Sqlite from 'better-sqlite3';
import { CompiledQuery, Kysely, SqliteDialect, SqliteDriver, sql, type CreateTableBuilder, type DatabaseConnection, type Driver, type Expression, type RawBuilder, type SelectQueryBuilder } from 'kysely';
import type { PercentileRequest, PeriodUnit, StoreDialect } from '../dialect.js';
import type { Database } from '../schema.js';
import { PERCENTILE_CONT, VALUES_AGGREGATE, registerPercentileCont } from './percentile.js';
import { checkFraction } from '../fraction.js';

/** `sqlite://./data/medic.db` (relative to baseDir), `sqlite:///abs/file.db` or `sqlite::memory:`. */
export function sqliteFileFromUrl(url: string, baseDir: string): string {
  const rest = url.replace(/^sqlite:(\/\/)?/, '');
  if (rest === ':memory:' || rest === '') return ':memory:';
  return path.resolve(baseDir, rest);
}

export class SqliteStoreDialect implements StoreDialect {
  readonly engine = 'sqlite' as const;
  readonly migrationSchema = undefined;
  readonly file: string;

  constructor(url: string, baseDir: string) {
    this.file = sqliteFileFromUrl(url, baseDir);
  }

  get description(): string {
    return `sqlite ${this.file}`;
  }

  connect(): Kysely<Database> {
    if (this.file !== ':memory:') mkdirSync(path.dirname(this.file), { recursive: true });
    const database = new Sqlite(this.file);
    // WAL lets readers (the API) proceed while a writer commits; NORMAL sync is durable across process
    // crashes in WAL mode, which is the failure the reliability tests kill us with.
    database.pragma('journal_mode = WAL');
    database.pragma('synchronous = NORMAL');
    database.pragma('busy_timeout = 10000');
    database.pragma('foreign_keys = ON');
    registerPercentileCont(database);
    return new Kysely<Database>({ dialect: new ImmediateSqliteDialect({ database: withStatementCache(database) }) });
  }

  addIdColumn<T extends string>(table: CreateTableBuilder<T, never>): CreateTableBuilder<T, 'id'> {
    return table.addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement());
  }

  lockSkipLocked<Q extends SelectQueryBuilder<Database, keyof Database, unknown>>(query: Q): Q {
    return query;
  }

  lockRows<Q extends SelectQueryBuilder<Database, keyof Database, unknown>>(query: Q): Q {
    return query;
  }

  async lockKey(): Promise<void> {}

  appendOnlyStatements(table: string): string[] {
    return ['UPDATE', 'DELETE'].map(
      (op) =>
        `CREATE TRIGGER IF NOT EXISTS ${table}_no_${op.toLowerCase()} BEFORE ${op} ON ${table} ` +
        `BEGIN SELECT RAISE(ABORT, '${table} is append-only'); END`,
    );
  }

  utcPeriod(unit: PeriodUnit, millis: Expression<number | null>): RawBuilder<string | null> {
    // %G/%V (ISO week-numbering year and week) need SQLite 3.46; better-sqlite3 12 bundles a newer one.
    const format = unit === 'month' ? '%Y-%m' : '%G-W%V';
    return sql<string | null>`strftime(${sql.lit(format)}, ${millis} / 1000.0, 'unixepoch')`;
  }

  percentilesCont(requests: readonly PercentileRequest[]): RawBuilder<number | null>[] {
    // One column per distinct value expression, and the identical medic_values(…) call in every
    // percentile, which SQLite evaluates once per row (see percentile.ts).
    const values: Expression<number | null>[] = [];
    const columns = requests.map(({ value }) => {
      const known = values.indexOf(value);
      return known >= 0 ? known : values.push(value) - 1;
    });
    const collect = sql`${sql.raw(VALUES_AGGREGATE)}(${sql.join(values)})`;
    return requests.map(
      ({ fraction }, i) => sql<number | null>`${sql.raw(PERCENTILE_CONT)}(${collect}, ${sql.lit(columns[i]!)}, ${sql.lit(checkFraction(fraction))})`,
    );
  }

  isUniqueViolation(err: unknown): boolean {
    const code = (err as { code?: string })?.code;
    return code === 'SQLITE_CONSTRAINT_UNIQUE' || code === 'SQLITE_CONSTRAINT_PRIMARYKEY';
  }

  async prepare(): Promise<void> {}
}

/**
 * Transactions start with BEGIN IMMEDIATE, taking the write lock up front. A deferred transaction that
 * reads and then writes fails at once with SQLITE_BUSY when another process (a CLI command, a restarted
 * worker) wrote in between; an immediate one waits for the lock (busy_timeout) instead.
 */
class ImmediateSqliteDriver extends SqliteDriver {
  override async beginTransaction(connection: DatabaseConnection): Promise<void> {
    await connection.executeQuery(CompiledQuery.raw('begin immediate'));
  }
}

class ImmediateSqliteDialect extends SqliteDialect {
  constructor(private readonly options: ConstructorParameters<typeof SqliteDialect>[0]) {
    super(options);
  }

  override createDriver(): Driver {
    return new ImmediateSqliteDriver(this.options);
  }
}

/**
 * Kysely prepares every statement anew; preparing costs as much as running a small query. Medic runs
 * the same few hundred statements over and over, so prepared statements are kept by SQL text (all
 * queries on this connection are serialized by Kysely, so one statement is never used twice at once).
 */
function withStatementCache(database: Sqlite.Database, size = 500) {
  const cache = new Map<string, Sqlite.Statement>();
  return {
    close: () => database.close(),
    prepare(sql: string) {
      let stmt = cache.get(sql);
      if (stmt) {
        // Re-insert to keep the map in least-recently-used order.
        cache.delete(sql);
      } else {
        stmt = database.prepare(sql);
        if (cache.size >= size) cache.delete(cache.keys().next().value!);
      }
      cache.set(sql, stmt);
      return stmt;
    },
  };
}
