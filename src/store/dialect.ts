import type { CreateTableBuilder, Kysely, SelectQueryBuilder } from 'kysely';
import type { Database } from './schema.js';

/**
 * Everything that differs between SQLite and PostgreSQL, behind one interface (as Kysely keeps each
 * engine in its own folder). Queries elsewhere use Kysely's builder and stay engine-neutral; when they
 * need one of these differences they ask the store's dialect for it.
 */
export type Engine = 'sqlite' | 'postgres';

export interface StoreDialect {
  readonly engine: Engine;
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
  /** SQL statements that make a table reject UPDATE and DELETE. */
  appendOnlyStatements(table: string): string[];
  /** Whether an error is a unique-constraint violation. */
  isUniqueViolation(err: unknown): boolean;
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
