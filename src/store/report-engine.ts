import type { AliasedRawBuilder, Expression, Kysely, RawBuilder } from 'kysely';
import type { Database } from './schema.js';

/**
 * What the report and the command center need of an engine to aggregate in SQL: percentiles with
 * identical results on both engines, the values at given ranks, a JSON array of a few values, and how
 * to run a batch of read-only report queries. One implementation per engine, beside its dialect
 * (sqlite/report-engine.ts, postgres/report-engine.ts), reached as `store.report`; the dialect itself
 * keeps what the engine is (connection, schema, locks, errors).
 */

export interface PercentileRequest {
  fraction: number;
  value: Expression<number | null>;
}

/** Values at known ranks of a group whose number of values is known (see ReportEngine.valuesAtRanks). */
export interface RankRequest {
  value: Expression<number | null>;
  /** How many non-null values the group has (read earlier in the same snapshot). */
  count: number;
  /** 0-based ranks in ascending order, each below `count`. */
  ranks: number[];
}

/** Percentile aggregates that keep their values for a union of groups (see ReportEngine.keepPercentiles). */
export interface PercentileKeeper {
  /** Like ReportEngine.percentilesCont, and keeps each group's values. */
  percentilesCont(requests: readonly PercentileRequest[]): RawBuilder<number | null>[];
  /**
   * percentile_cont of each request over every group read with this keeper so far, without reading a
   * row again. `requests` have the shape given to percentilesCont (the same values in the same order).
   */
  union(requests: readonly PercentileRequest[]): (number | null)[];
  /** Frees the kept values. */
  release(): void;
}

/** A range's row count and one percentile_cont of it (see ReportEngine.countAndPercentile). */
export interface CountAndPercentile {
  count: number;
  /** percentile_cont(fraction) of the values; null without rows. */
  value: number | null;
}

/** A row of `count(*) AS n` and a percentile `AS p`, as either engine returns it. */
export function readCountAndPercentile(row: Record<string, unknown>): CountAndPercentile {
  return { count: Number(row.n), value: row.p === null || row.p === undefined ? null : Number(row.p) };
}

/** The caller's query over a range, selecting these columns (and nothing else). */
export type RangeQuery = (columns: AliasedRawBuilder<unknown, string>[]) => Promise<Record<string, unknown>>;

/** The numbers of a `jsonArrayAgg` result (engines return JSON as text or already decoded); NULLs dropped. */
export function parseJsonArray(value: unknown): number[] {
  const list = typeof value === 'string' ? (JSON.parse(value) as unknown) : value;
  return Array.isArray(list) ? list.filter((v): v is number => typeof v === 'number') : [];
}

export interface ReportEngine {
  /**
   * Aggregates, one per request and in order: the continuous percentile (0 ≤ fraction ≤ 1) of the
   * group's non-null values, linearly interpolated between the two nearest ranks, as PostgreSQL's
   * `percentile_cont(fraction) WITHIN GROUP (ORDER BY value)` defines it; identical results on both
   * engines, NULL for a group without values. All the percentiles a query needs are asked for in one
   * call, so that an engine can collect them in one pass (requests may share a value expression).
   */
  percentilesCont(requests: readonly PercentileRequest[]): RawBuilder<number | null>[];
  /**
   * One such percentile, as the engine's own aggregate: the same result as percentilesCont, cheaper
   * where a query needs no other (SQLite's built-in percentile_cont sorts in C, without a call into
   * JavaScript per row).
   */
  percentileCont(fraction: number, value: Expression<number | null>): RawBuilder<number | null>;
  /**
   * The row count and percentile_cont(fraction) of `value` (a column without NULLs) over a range read
   * again and again, e.g. the command center's windows every second: `query` runs the caller's query
   * over the range with the columns given. SQLite: its own aggregate. PostgreSQL: the same answer to the
   * last bit, from the values above a hint kept under `key` from the last read instead of a sort of
   * every value (postgres/top-percentile.ts).
   */
  countAndPercentile(key: string, fraction: number, value: Expression<number>, query: RangeQuery): Promise<CountAndPercentile>;
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
  session<T>(db: Kysely<Database>, fn: (db: Kysely<Database>) => Promise<T>): Promise<T>;
  /**
   * How many report sessions to run at once: several PostgreSQL connections share the work; SQLite has
   * one connection and runs queries one after another anyway.
   */
  readonly concurrency: number;
}
