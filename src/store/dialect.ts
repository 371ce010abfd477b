import type { CreateTableBuilder, Kysely, RawBuilder, SelectQueryBuilder } from 'kysely';
import type { ReportEngine } from './report-engine.js';
import type { Database } from './schema.js';
import type { ValuesColumns, ValuesRow } from './values-table.js';

export type Engine = 'sqlite' | 'postgres';

/**
 * What an engine is: how to connect to it, build its schema, lock rows and keys, write what its SQL
 * spells differently, and classify its errors. One implementation per engine in its own folder
 * (sqlite/, postgres/, as Kysely keeps a dialect per engine), beside that engine's report engine
 * (report-engine.ts: the aggregates reports need). Queries elsewhere use Kysely's builder and stay
 * engine-neutral; when they need one of these differences they ask the store's dialect by name.
 */
export interface StoreDialect {
  readonly engine: Engine;
  /**
   * The most bound parameters one statement may have (SQLite's SQLITE_MAX_VARIABLE_NUMBER, PostgreSQL's
   * 16-bit count in the wire protocol). Long lists are split by it (see chunks.ts).
   */
  readonly maxParameters: number;
  /** Opens the connection (pool) and returns a Kysely instance over it. */
  connect(): Kysely<Database>;
  /** Adds an auto-increment integer primary key `id`. */
  addIdColumn<T extends string>(table: CreateTableBuilder<T, never>): CreateTableBuilder<T, 'id'>;
  /**
   * Locks the selected rows for this transaction and skips rows others hold (PostgreSQL's
   * `FOR UPDATE SKIP LOCKED`). On SQLite a write transaction already holds the whole database.
   */
  lockSkipLocked<Q extends SelectQueryBuilder<Database, keyof Database, unknown>>(query: Q): Q;
  /** Locks the selected rows until the transaction ends (`FOR UPDATE`); SQLite's writer lock covers it. */
  lockRows<Q extends SelectQueryBuilder<Database, keyof Database, unknown>>(query: Q): Q;
  /**
   * Serializes transactions that work on the same logical key (an alert group, a monitor) until this
   * transaction ends: a transaction-scoped advisory lock on PostgreSQL, nothing on SQLite where one
   * writer at a time is already the rule.
   */
  lockKey(db: Kysely<Database>, key: string): Promise<void>;
  /** lockKey for several keys in one round trip, taken in the order given (sort them to avoid deadlocks). */
  lockKeys(db: Kysely<Database>, keys: readonly string[]): Promise<void>;
  /** SQL statements that make a table reject UPDATE and DELETE. */
  appendOnlyStatements(table: string): string[];
  /**
   * A table of literal rows for a FROM clause, named `alias`, with the given columns (names and types,
   * in order): one statement updates a batch of rows with different values (see values-table.ts).
   * Rows must not be empty.
   */
  valuesTable<C extends string>(alias: string, columns: ValuesColumns<C>, rows: readonly ValuesRow<C>[]): RawBuilder<unknown>;
  /** The engine's aggregates for reports (percentiles, ranks, report sessions); see report-engine.ts. */
  createReportEngine(): ReportEngine;
  /** Whether an error is a unique-constraint violation. */
  isUniqueViolation(err: unknown): boolean;
  /**
   * Whether an error means the database could not be reached or went away mid-statement (a PostgreSQL
   * restart, a network cut), as opposed to one the statement itself caused. Work that failed this way
   * did not fail on its merits: it is retried once the database is back, without counting it as an attempt.
   */
  isUnavailable(err: unknown): boolean;
  /** Prepares the database before migrations (e.g. creates the schema); idempotent. */
  prepare(db: Kysely<Database>): Promise<void>;
  /**
   * Schema of Kysely's migration bookkeeping tables. Must be explicit on PostgreSQL: the migrator looks
   * for its tables in every schema, and would find another tenant's.
   */
  readonly migrationSchema: string | undefined;
  /** A description safe to print (no password). */
  readonly description: string;
}
