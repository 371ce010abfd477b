import path from 'node:path';
import Sqlite from 'better-sqlite3';
import { CompiledQuery, Kysely, SqliteDialect, SqliteDriver, sql, type CreateTableBuilder, type DatabaseConnection, type Driver, type RawBuilder, type SelectQueryBuilder } from 'kysely';
import { ensurePrivateFile, makePrivateDir } from '../../shared/files.js';
import type { StoreDialect } from '../dialect.js';
import type { ReportEngine } from '../report-engine.js';
import type { Database } from '../schema.js';
import { valuesColumnNames, valuesList, type ValuesColumns, type ValuesRow } from '../values-table.js';
import { registerPercentileCont } from './percentile.js';
import { SqliteReportEngine } from './report-engine.js';

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
    // The report engine's aggregates (report-engine.ts) are functions of this connection.
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

  valuesTable<C extends string>(alias: string, columns: ValuesColumns<C>, rows: readonly ValuesRow<C>[]): RawBuilder<unknown> {
    // SQLite takes no column list after a subquery's alias; it names VALUES columns column1, column2, …
    const named = valuesColumnNames(columns).map((name, i) => sql`${sql.ref(`column${i + 1}`)} AS ${sql.id(name)}`);
    return sql`(SELECT ${sql.join(named)} FROM (${valuesList(columns, rows)})) AS ${sql.id(alias)}`;
  }

  createReportEngine(): ReportEngine {
    return new SqliteReportEngine();
  }

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
