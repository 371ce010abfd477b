import { JSONPath } from 'jsonpath-plus';

/**
 * JSONPath queries over a response body, shared by `assert_json_path`, `extract` and
 * `use_auth_from_step`. Filter expressions run in jsonpath-plus's safe evaluator, never `eval`.
 */
export function queryJson(doc: unknown, path: string): unknown[] {
  const simple = SIMPLE_PATH.test(path) ? memberPath(doc, path) : undefined;
  if (simple) return simple;
  const found = JSONPath({ path, json: doc as object, wrap: true, eval: 'safe' }) as unknown[] | undefined;
  return Array.isArray(found) ? found : [];
}

/** A matched value as text for headers and `{{name}}`: strings as they are, anything else as JSON. */
export function jsonValueText(value: unknown): string {
  return typeof value === 'string' ? value : JSON.stringify(value) ?? String(value);
}

/**
 * `$.a.b` with plain names: what most health checks assert (`$.status`). jsonpath-plus builds an
 * evaluator and result records for every query, once per check at a thousand checks a second; a walk
 * down own properties of plain objects gives the same one value. Anything else — arrays, a name that is
 * not there, strings and numbers along the way — goes to jsonpath-plus, so its answers stay the rule.
 */
const SIMPLE_PATH = /^\$(?:\.[A-Za-z_][A-Za-z0-9_]*)+$/;

function memberPath(doc: unknown, path: string): unknown[] | undefined {
  let value = doc;
  for (let start = 2; start <= path.length; ) {
    let end = path.indexOf('.', start);
    if (end < 0) end = path.length;
    const name = path.slice(start, end);
    if (value === null || typeof value !== 'object' || Array.isArray(value) || !Object.hasOwn(value, name)) return undefined;
    value = (value as Record<string, unknown>)[name];
    start = end + 1;
  }
  return [value];
}
