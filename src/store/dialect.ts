import type { CreateTableBuilder, Expression, Kysely, RawBuilder, SelectQueryBuilder } from 'kysely';
import type { Database } from './schema.js';

/**
 * Everything that differs between SQLite and PostgreSQL, behind one interface (as Kysely keeps each
 * engine in its own folder). Queries elsewhere use Kysely's builder and stay engine-neutral; when they
 * need one of these differences they ask the store's dialect for it.
 */
export type Engine = 'sqlite' | 'postgres';

export interface PercentileRequest {
  fraction: number;
  value: Expression<number | null>;
}

/** Calendar periods reports group by: months, or ISO 8601 weeks (Monday to Sunday). */
export type PeriodUnit = 'month' | 'week';

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
  /**
   * The UTC calendar period of a millisecond timestamp, as text that sorts in time order: `2026-03` for
   * a month, `2026-W09` for an ISO week (whose year is the ISO week-numbering year, so 2027-01-01 is in
   * `2026-W53`). Contains no bound parameters, so the same expression can appear in SELECT and GROUP BY.
   */
  utcPeriod(unit: PeriodUnit, millis: Expression<number | null>): RawBuilder<string | null>;
  /**
   * Aggregates, one per request and in order: the continuous percentile (0 ≤ fraction ≤ 1) of the
   * group's non-null values, linearly interpolated between the two nearest ranks, as PostgreSQL's
   * `percentile_cont(fraction) WITHIN GROUP (ORDER BY value)` defines it; identical results on both
   * engines, NULL for a group without values. All the percentiles a query needs are asked for in one
   * call, so that an engine can collect them in one pass (requests may share a value expression).
   */
  percentilesCont(requests: readonly PercentileRequest[]): RawBuilder<number | null>[];
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
