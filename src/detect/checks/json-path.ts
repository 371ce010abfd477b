import { JSONPath } from 'jsonpath-plus';

/**
 * JSONPath queries over a response body, shared by `assert_json_path`, `extract` and
 * `use_auth_from_step`. Filter expressions run in jsonpath-plus's safe evaluator, never `eval`.
 */
export function queryJson(doc: unknown, path: string): unknown[] {
  const found = JSONPath({ path, json: doc as object, wrap: true, eval: 'safe' }) as unknown[] | undefined;
  return Array.isArray(found) ? found : [];
}

/** A matched value as text for headers and `{{name}}`: strings as they are, anything else as JSON. */
export function jsonValueText(value: unknown): string {
  return typeof value === 'string' ? value : JSON.stringify(value) ?? String(value);
}
