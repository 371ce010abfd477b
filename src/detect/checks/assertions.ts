import type { HttpMonitorConfig, JsonPathAssertion, StatusRange } from '../../config/index.js';
import type { ResponseBody } from './body.js';
import type { AssertionResult } from './check.js';
import { headerValue, type ResponseHeaders } from './http-client.js';
import { jsonValueText, queryJson } from './json-path.js';
import { maskIfSecret } from './secrets.js';

/**
 * The `assert_*` fields of an http monitor or journey step, evaluated against one response. Each
 * assertion reports what was expected and what was seen, so a failed run explains itself in
 * `medic run`, the UI and the incident timeline without anyone re-running the request.
 */

export type HttpAssertions = Pick<HttpMonitorConfig, 'assert_status' | 'assert_load_time_ms' | 'assert_json_path' | 'assert_body_contains' | 'assert_body_matches' | 'assert_header'>;

export interface ResponseFacts {
  statusCode: number;
  headers: ResponseHeaders;
  body: ResponseBody;
  /** Time the request took, as `assert_load_time_ms` reads it. */
  elapsedMs: number;
}

/** When no `assert_status` is configured: any success or redirect the check did not follow. */
export const DEFAULT_STATUS: StatusRange[] = [{ min: 200, max: 399 }];

/** Longest value shown in `actual`: enough to recognize an error page, short enough for a timeline. */
const PREVIEW_CHARS = 200;

/** What `actual` shows of a response is redacted before it is cut (see CheckContext.redact). */
export type Redact = (text: string) => string;
const asIs: Redact = (text) => text;

export function evaluateAssertions(spec: HttpAssertions, response: ResponseFacts, redact: Redact = asIs): AssertionResult[] {
  const results = [assertStatus(spec.assert_status ?? DEFAULT_STATUS, response.statusCode, spec.assert_status === undefined)];
  if (spec.assert_load_time_ms !== undefined) results.push(assertLoadTime(spec.assert_load_time_ms, response.elapsedMs));
  for (const a of spec.assert_json_path ?? []) results.push(assertJsonPath(a, response.body, redact));
  for (const text of spec.assert_body_contains ?? []) results.push(assertBodyContains(text, response.body, redact));
  if (spec.assert_body_matches !== undefined) results.push(assertBodyMatches(spec.assert_body_matches, response.body, redact));
  for (const [name, expected] of Object.entries(spec.assert_header ?? {})) results.push(assertHeader(name, expected, response.headers, redact));
  return results;
}

export function assertStatus(ranges: StatusRange[], statusCode: number, isDefault = false): AssertionResult {
  const pass = ranges.some((r) => statusCode >= r.min && statusCode <= r.max);
  const expected = ranges.map((r) => (r.min === r.max ? String(r.min) : `${r.min}-${r.max}`)).join(' or ');
  return { name: 'status', pass, expected: isDefault ? `${expected} (default)` : expected, actual: String(statusCode) };
}

export function assertLoadTime(limitMs: number, elapsedMs: number): AssertionResult {
  return { name: 'load_time', pass: elapsedMs <= limitMs, expected: `≤ ${limitMs} ms`, actual: `${elapsedMs} ms` };
}

/**
 * A bare path must match at least one value. With comparisons, it must match, and every matched value
 * must satisfy all of them (use a filter such as `$.items[?(@.name=="x")]` to ask for "some").
 */
export function assertJsonPath(assertion: JsonPathAssertion, body: ResponseBody, redact: Redact = asIs): AssertionResult {
  const spec = typeof assertion === 'string' ? { path: assertion } : assertion;
  const name = `json_path ${spec.path}`;
  const expected = describeJsonExpectation(spec);
  const parsed = body.json();
  if (!parsed.ok) return { name, pass: false, expected, actual: parsed.error };
  let values: unknown[];
  try {
    values = queryJson(parsed.value, spec.path);
  } catch (err) {
    return { name, pass: false, expected, actual: `invalid JSONPath: ${(err as Error).message}` };
  }
  if (values.length === 0) return { name, pass: false, expected, actual: 'no match' };
  const actual = maskIfSecret(spec.path, preview(redact(values.length === 1 ? jsonValueText(values[0]) : JSON.stringify(values))));
  const failing = values.find((v) => !satisfies(v, spec));
  return { name, pass: failing === undefined, expected, actual };
}

type JsonCheck = Exclude<JsonPathAssertion, string>;

function describeJsonExpectation(spec: Partial<JsonCheck> & { path: string }): string {
  const parts: string[] = [];
  if (spec.equals !== undefined) parts.push(`== ${JSON.stringify(spec.equals)}`);
  if (spec.matches !== undefined) parts.push(`matches /${spec.matches}/`);
  if (spec.gt !== undefined) parts.push(`> ${spec.gt}`);
  if (spec.lt !== undefined) parts.push(`< ${spec.lt}`);
  return parts.length > 0 ? parts.join(' and ') : 'a match';
}

function satisfies(value: unknown, spec: Partial<JsonCheck>): boolean {
  if (spec.equals !== undefined && !looselyEqual(value, spec.equals)) return false;
  if (spec.matches !== undefined && !compile(spec.matches).test(jsonValueText(value))) return false;
  if (spec.gt !== undefined && !(toNumber(value) > spec.gt)) return false;
  if (spec.lt !== undefined && !(toNumber(value) < spec.lt)) return false;
  return true;
}

/** YAML writes `equals: 200` and `equals: "200"` interchangeably; scalars compare by their text. */
function looselyEqual(actual: unknown, expected: unknown): boolean {
  const scalar = (v: unknown) => v === null || typeof v !== 'object';
  if (scalar(actual) && scalar(expected)) return actual === expected || String(actual) === String(expected);
  return JSON.stringify(actual) === JSON.stringify(expected);
}

function toNumber(value: unknown): number {
  if (typeof value === 'number') return value;
  if (typeof value === 'string' && value.trim() !== '') return Number(value);
  return NaN;
}

export function assertBodyContains(text: string, body: ResponseBody, redact: Redact = asIs): AssertionResult {
  const content = body.text();
  const at = content.indexOf(text);
  const name = `body_contains ${JSON.stringify(text)}`;
  const expected = `contains ${JSON.stringify(text)}`;
  if (at < 0) return { name, pass: false, expected, actual: describeBody(body, redact) };
  // The excerpt is cut from the redacted body, around the text found again there.
  const shown = redact(content);
  const at2 = shown === content ? at : shown.indexOf(text);
  return { name, pass: true, expected, actual: at2 < 0 ? preview(shown) : excerpt(shown, at2, text.length) };
}

export function assertBodyMatches(pattern: string, body: ResponseBody, redact: Redact = asIs): AssertionResult {
  const name = `body_matches /${pattern}/`;
  const expected = `matches /${pattern}/`;
  const content = body.text();
  const re = compile(pattern);
  const match = re.exec(content);
  if (!match) return { name, pass: false, expected, actual: describeBody(body, redact) };
  const shown = redact(content);
  const match2 = shown === content ? match : re.exec(shown);
  return { name, pass: true, expected, actual: match2 ? excerpt(shown, match2.index, match2[0].length) : preview(shown) };
}

/** Exact value, or a regular expression when the expected value is wrapped in slashes ("/^application\/json/"). */
export function assertHeader(name: string, expected: string, headers: ResponseHeaders, redact: Redact = asIs): AssertionResult {
  const value = headerValue(headers, name);
  const label = `header ${name.toLowerCase()}`;
  const isPattern = expected.length > 1 && expected.startsWith('/') && expected.endsWith('/');
  const shown = isPattern ? `matches ${expected}` : JSON.stringify(expected);
  if (value === undefined) return { name: label, pass: false, expected: shown, actual: '(header missing)' };
  let pass: boolean;
  if (isPattern) {
    try {
      pass = compile(expected.slice(1, -1)).test(value);
    } catch (err) {
      return { name: label, pass: false, expected: shown, actual: `invalid regular expression: ${(err as Error).message}` };
    }
  } else pass = value === expected;
  return { name: label, pass, expected: shown, actual: preview(redact(JSON.stringify(value))) };
}

/**
 * Patterns come from config, so there are few of them and they repeat every run: compile each once.
 * The cache is bounded so a config that changes patterns on every reload cannot grow it forever.
 */
const compiled = new Map<string, RegExp>();
function compile(pattern: string): RegExp {
  let re = compiled.get(pattern);
  if (!re) {
    if (compiled.size >= 1000) compiled.clear();
    re = new RegExp(pattern);
    compiled.set(pattern, re);
  }
  return re;
}

/** One line, at most PREVIEW_CHARS, saying how much was cut. */
export function preview(text: string, max = PREVIEW_CHARS): string {
  const line = text.replace(/\s+/g, ' ').trim();
  return line.length <= max ? line : `${line.slice(0, max)}… (${text.length} chars)`;
}

function excerpt(content: string, at: number, length: number): string {
  const from = Math.max(0, at - 40);
  const to = Math.min(content.length, at + length + 40);
  return `${from > 0 ? '…' : ''}${preview(content.slice(from, to))}${to < content.length ? '…' : ''}`;
}

function describeBody(body: ResponseBody, redact: Redact): string {
  if (body.size === 0) return '(empty body)';
  const cut = body.truncated ? ', cut at the size cap' : '';
  return `not found in ${body.size} bytes${cut}: ${preview(redact(body.text()))}`;
}
