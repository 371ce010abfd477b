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

/** The numbers of a `jsonArrayAgg` result (engines return JSON as text or already decoded); NULLs dropped. */
export function parseJsonArray(value: unknown): number[] {
  const list = typeof value === 'string' ? (JSON.parse(value) as unknown) : value;
  return Array.isArray(list) ? list.filter((v): v is number => typeof v === 'number') : [];
}

/** Percentile aggregates that keep their values for a union of groups (see StoreDialect.keepPercentiles). */
export interface PercentileKeeper {
  /** Like StoreDialect.percentilesCont, and keeps each group's values. */
  percentilesCont(requests: readonly PercentileRequest[]): RawBuilder<number | null>[];
  /**
   * percentile_cont of each request over every group read with this keeper so far, without reading a
   * row again. `requests` have the shape given to percentilesCont (the same values in the same order).
   */
  union(requests: readonly PercentileRequest[]): (number | null)[];
  /** Frees the kept values. */
  release(): void;
}

/** Values at known ranks of a group whose number of values is known (see StoreDialect.valuesAtRanks). */
export interface RankRequest {
  value: Expression<number | null>;
  /** How many non-null values the group has (read earlier in the same snapshot). */
  count: number;
  /** 0-based ranks in ascending order, each below `count`. */
  ranks: number[];
}

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
   * Aggregates, one per request and in order: the continuous percentile (0 ≤ fraction ≤ 1) of the
   * group's non-null values, linearly interpolated between the two nearest ranks, as PostgreSQL's
   * `percentile_cont(fraction) WITHIN GROUP (ORDER BY value)` defines it; identical results on both
   * engines, NULL for a group without values. All the percentiles a query needs are asked for in one
   * call, so that an engine can collect them in one pass (requests may share a value expression).
   */
  percentilesCont(requests: readonly PercentileRequest[]): RawBuilder<number | null>[];
  /**
   * A keeper for the values percentile aggregates collect, so that the percentiles of the union of
   * groups already read cost no second pass. Only an engine that computes percentiles in this process
   * can (SQLite: the values are in JavaScript already); PostgreSQL sorts in the server: undefined.
   */
  keepPercentiles(): PercentileKeeper | undefined;
  /**
   * An aggregate: the group's values of `value` as a JSON array (decode with `parseJsonArray`), for the
   * few rows a FILTER lets through, e.g. a narrow window of a report's values.
   */
  jsonArrayAgg(value: Expression<number | null>): RawBuilder<unknown>;
  /**
   * Per request, the values at the given ranks of the group's non-null values of `value` sorted
   * ascending, for a group whose number of values is already known. A percentile_cont is two of them
   * and an interpolation; on PostgreSQL this is percentile_disc over the bigint itself, whose sort is
   * far cheaper than percentile_cont's over float8.
   */
  valuesAtRanks(requests: readonly RankRequest[]): RawBuilder<number | null>[][];
  /**
   * Runs a batch of read-only report queries. PostgreSQL: in one REPEATABLE READ transaction, so that
   * counts read first and ranks read after see the same rows, with a larger `work_mem` (SET LOCAL, so
   * only these queries get it) that keeps their sorts in memory. SQLite: as they are (a transaction
   * would take the write lock; the report does not split a group's reading there).
   */
  reportSession<T>(db: Kysely<Database>, fn: (db: Kysely<Database>) => Promise<T>): Promise<T>;
  /**
   * How many report sessions to run at once: several PostgreSQL connections share the work; SQLite has
   * one connection and runs queries one after another anyway.
   */
  readonly reportConcurrency: number;
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
