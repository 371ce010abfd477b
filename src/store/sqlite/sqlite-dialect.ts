import path from 'node:path';
import Sqlite from 'better-sqlite3';
import { CompiledQuery, Kysely, SqliteDialect, SqliteDriver, sql, type CreateTableBuilder, type DatabaseConnection, type Driver, type Expression, type RawBuilder, type SelectQueryBuilder } from 'kysely';
import type { PercentileKeeper, PercentileRequest, RankRequest, StoreDialect } from '../dialect.js';
import type { Database } from '../schema.js';
import { PERCENTILES_AGGREGATE, PICK, VALUE_AT, VALUES_AGGREGATE, keptPercentiles, openKept, percentileSpecId, registerPercentileCont, releaseKept } from './percentile.js';
import { checkFraction } from '../fraction.js';
import { ensurePrivateFile, makePrivateDir } from '../../shared/files.js';

/** `sqlite://./data/medic.db` (relative to baseDir), `sqlite:///abs/file.db` or `sqlite::memory:`. */
export function sqliteFileFromUrl(url: string, baseDir: string): string {
  const rest = url.replace(/^sqlite:(\/\/)?/, '');
  if (rest === ':memory:' || rest === '') return ':memory:';
  return path.resolve(baseDir, rest);
}

export class SqliteStoreDialect implements StoreDialect {
  readonly engine = 'sqlite' as const;
  readonly migrationSchema = undefined;
  /** SQLITE_MAX_VARIABLE_NUMBER of the SQLite better-sqlite3 bundles (the default since SQLite 3.32). */
  readonly maxParameters = 32_766;
  readonly file: string;

  constructor(url: string, baseDir: string) {
    this.file = sqliteFileFromUrl(url, baseDir);
  }

  get description(): string {
    return `sqlite ${this.file}`;
  }

  connect(): Kysely<Database> {
    if (this.file !== ':memory:') {
      // SQLite would create the file 0644 (less the umask); created 0600 here first, it gives its -wal
      // and -shm files the same mode (it copies the database file's mode onto them).
      makePrivateDir(path.dirname(this.file));
      ensurePrivateFile(this.file);
    }
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

  async lockKeys(): Promise<void> {}

  appendOnlyStatements(table: string): string[] {
    return ['UPDATE', 'DELETE'].map(
      (op) =>
        `CREATE TRIGGER IF NOT EXISTS ${table}_no_${op.toLowerCase()} BEFORE ${op} ON ${table} ` +
        `BEGIN SELECT RAISE(ABORT, '${table} is append-only'); END`,
    );
  }

  percentilesCont(requests: readonly PercentileRequest[]): RawBuilder<number | null>[] {
    return percentileAggregates(requests, 0);
  }

  keepPercentiles(): PercentileKeeper {
    const key = openKept();
    return {
      percentilesCont: (requests) => percentileAggregates(requests, key),
      union: (requests) => keptPercentiles(key, percentileColumns(requests).list),
      release: () => releaseKept(key),
    };
  }

  jsonArrayAgg(value: Expression<number | null>): RawBuilder<unknown> {
    return sql`json_group_array(${value})`;
  }

  valuesAtRanks(requests: readonly RankRequest[]): RawBuilder<number | null>[][] {
    // Correct but not the fast path on SQLite (one call into JavaScript per row and value): reports
    // here compute percentiles in one pass and keep the values instead (see keepPercentiles).
    return requests.map(({ value, count, ranks }) => {
      const collected = sql`${sql.raw(VALUES_AGGREGATE)}(${value})`;
      return ranks.map((rank) => {
        if (!Number.isInteger(rank) || rank < 0 || rank >= count) throw new RangeError(`rank ${rank} outside 0..${count - 1}`);
        return sql<number | null>`${sql.raw(VALUE_AT)}(${collected}, 0, ${sql.lit(rank)})`;
      });
    });
  }

  reportSession<T>(db: Kysely<Database>, fn: (db: Kysely<Database>) => Promise<T>): Promise<T> {
    return fn(db);
  }

  readonly reportConcurrency = 1;

  isUniqueViolation(err: unknown): boolean {
    const code = (err as { code?: string })?.code;
    return code === 'SQLITE_CONSTRAINT_UNIQUE' || code === 'SQLITE_CONSTRAINT_PRIMARYKEY';
  }

  /** An embedded file does not go away under a running process. */
  isUnavailable(): boolean {
    return false;
  }

  async prepare(): Promise<void> {}
}

/** One column per distinct value expression (in order of first appearance), and each request's column and fraction. */
function percentileColumns(requests: readonly PercentileRequest[]) {
  const values: Expression<number | null>[] = [];
  const list = requests.map(({ value, fraction }) => {
    const known = values.indexOf(value);
    return { column: known >= 0 ? known : values.push(value) - 1, fraction: checkFraction(fraction) };
  });
  return { values, list };
}

/**
 * Every percentile is `medic_pick(medic_percentiles(list, keep, x0, x1, …), j)` with the identical
 * aggregate call, which SQLite evaluates once per row (see percentile.ts).
 */
function percentileAggregates(requests: readonly PercentileRequest[], keep: number): RawBuilder<number | null>[] {
  const { values, list } = percentileColumns(requests);
  const computed = sql`${sql.raw(PERCENTILES_AGGREGATE)}(${sql.lit(percentileSpecId(list))}, ${sql.lit(keep)}, ${sql.join(values)})`;
  return requests.map((_, i) => sql<number | null>`${sql.raw(PICK)}(${computed}, ${sql.lit(i)})`);
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
