import type { StoreDialect } from './dialect.js';

/**
 * Lists whose length comes from input (the fingerprints of an Alertmanager group, the rows of a
 * delivery) must never make one statement with more bound parameters than the engine takes, or a large
 * but valid delivery fails whole. Every such IN list and multi-row insert goes through here: it is split
 * into statements that each stay within the dialect's `maxParameters`.
 */

/** Parameters left for the rest of a statement (other conditions, ON CONFLICT, LIMIT). */
export const RESERVED_PARAMETERS = 100;

type Limit = Pick<StoreDialect, 'maxParameters'>;

/** `items` in slices small enough for one statement that binds `perItem` parameters for each. */
export function parameterChunks<T>(dialect: Limit, items: readonly T[], perItem = 1): T[][] {
  const size = Math.max(1, Math.floor((dialect.maxParameters - RESERVED_PARAMETERS) / Math.max(1, perItem)));
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

/**
 * Runs `run` once per slice of an IN list, in order, and concatenates what each returned. The slices
 * run one after another on the caller's connection (a transaction stays one transaction). A query
 * with ORDER BY is ordered within each slice: give sorted values when the order across slices matters.
 */
export async function inChunks<T, R>(dialect: Limit, values: readonly T[], run: (chunk: T[]) => Promise<R[]>): Promise<R[]> {
  if (values.length === 0) return [];
  const out: R[] = [];
  for (const chunk of parameterChunks(dialect, values)) out.push(...(await run(chunk)));
  return out;
}

/**
 * Multi-row insert in as few statements as the parameter limit allows: each row binds one parameter
 * per column that any row sets (Kysely writes DEFAULT for the others). Returns what each statement
 * returned (RETURNING rows), concatenated in order.
 */
export async function insertInChunks<Row extends object, R = unknown>(dialect: Limit, rows: readonly Row[], insert: (chunk: Row[]) => Promise<R[]>): Promise<R[]> {
  if (rows.length === 0) return [];
  const columns = new Set<string>();
  for (const row of rows) for (const key of Object.keys(row)) columns.add(key);
  const out: R[] = [];
  for (const chunk of parameterChunks(dialect, rows, columns.size)) out.push(...(await insert(chunk)));
  return out;
}
