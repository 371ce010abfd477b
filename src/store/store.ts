import { Migrator, type Kysely, type Transaction } from 'kysely';
import type { StoreDialect } from './dialect.js';
import { MedicMigrations } from './migrations/index.js';
import { PostgresStoreDialect } from './postgres/postgres-dialect.js';
import type { ReportEngine } from './report-engine.js';
import type { Database } from './schema.js';
import { SqliteStoreDialect } from './sqlite/sqlite-dialect.js';

/** A Kysely handle: the store's own, or a transaction's. Repositories take either. */
export type Db = Kysely<Database>;
export type Tx = Transaction<Database>;

export interface StoreOptions {
  url: string;
  /** Folder a relative sqlite:// path is resolved against. */
  baseDir?: string;
  poolSize?: number;
}

/**
 * The database of one Medic process: a Kysely instance, the dialect that knows its engine, and that
 * engine's aggregates for reports.
 */
export class Store {
  private closed = false;
  readonly report: ReportEngine;

  private constructor(
    readonly db: Db,
    readonly dialect: StoreDialect,
  ) {
    this.report = dialect.createReportEngine();
  }

  static async open(options: StoreOptions): Promise<Store> {
    const dialect = createDialect(options);
    const db = dialect.connect();
    const store = new Store(db, dialect);
    try {
      await dialect.prepare(db);
      await store.migrate();
    } catch (err) {
      await db.destroy();
      throw err;
    }
    return store;
  }

  get engine() {
    return this.dialect.engine;
  }

  /** Brings the schema up to date; running it again is a no-op. */
  async migrate(): Promise<string[]> {
    const migrator = new Migrator({ db: this.db, provider: new MedicMigrations(this.dialect), migrationTableSchema: this.dialect.migrationSchema });
    for (let attempt = 1; ; attempt++) {
      const { error, results } = await migrator.migrateToLatest();
      if (!error) return (results ?? []).filter((r) => r.status === 'Success').map((r) => r.migrationName);
      // Kysely's migrator reads the catalog of every schema; another tenant dropping its schema at that
      // moment fails the read. Nothing of ours changed, so reading again is safe.
      if (attempt < 5 && (error as { code?: string }).code === '3F000') {
        await new Promise((r) => setTimeout(r, 50 * attempt));
        continue;
      }
      throw error instanceof Error ? error : new Error(String(error));
    }
  }

  transaction<T>(fn: (trx: Tx) => Promise<T>): Promise<T> {
    return this.db.transaction().execute(fn);
  }

  async ping(): Promise<void> {
    await this.db.selectFrom('api_tokens').select((eb) => eb.fn.countAll().as('n')).executeTakeFirst();
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.db.destroy();
  }
}

export function createDialect(options: StoreOptions): StoreDialect {
  const { url } = options;
  if (url.startsWith('sqlite:')) return new SqliteStoreDialect(url, options.baseDir ?? process.cwd());
  if (url.startsWith('postgres:') || url.startsWith('postgresql:')) return new PostgresStoreDialect(url, options.poolSize ?? 10);
  throw new Error(`unsupported storage.url ${JSON.stringify(url.replace(/\/\/[^@]*@/, '//…@'))}: expected sqlite:// or postgres://`);
}
