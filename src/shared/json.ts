/**
 * JSON.stringify recurses: a value nested a few thousand levels deep (a sender's `custom_details`, a
 * script's output parsed as JSON) throws RangeError instead of giving text. Stored and shown JSON goes
 * through here: such a value is written with its deepest parts replaced by a marker, never an error.
 */

/** Nesting kept when a value is too deep to serialize as it is. */
export const STORED_JSON_DEPTH = 64;
export const TOO_DEEP = '[nested too deep]';

export function stringifyBounded(value: unknown, space?: number): string {
  try {
    return JSON.stringify(value, null, space);
  } catch (err) {
    if (!(err instanceof RangeError)) throw err;
    return JSON.stringify(truncateDepth(value, STORED_JSON_DEPTH), null, space);
  }
}

/** A copy of `value` in which everything below `depth` levels is the TOO_DEEP marker. */
export function truncateDepth(value: unknown, depth: number): unknown {
  if (value === null || typeof value !== 'object') return value;
  if (depth <= 0) return TOO_DEEP;
  const json = (value as { toJSON?: unknown }).toJSON;
  if (typeof json === 'function') return truncateDepth((value as { toJSON(): unknown }).toJSON(), depth);
  if (Array.isArray(value)) return value.map((v) => truncateDepth(v, depth - 1));
  // fromEntries defines own properties: a key "__proto__" stays a key, never the prototype.
  return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, truncateDepth(v, depth - 1)]));
}
