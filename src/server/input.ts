import { parse as parseQueryString } from 'node:querystring';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { stripControls } from '../shared/text.js';
import { JsonTooDeep } from './errors.js';

/**
 * The one way a request's JSON body, query string and path parameters become values, for every route
 * (OFREP included):
 *
 * - Fastify's own JSON parser (it refuses `__proto__` and `constructor.prototype` keys),
 * - then a 400 for a body nested deeper than MAX_JSON_DEPTH: every later step (validation, matching,
 *   JSON.stringify when stored) may recurse, and nothing Medic takes needs more,
 * - and every string, keys included, without C0 control characters but tab and newline (shared/text.ts):
 *   PostgreSQL refuses a NUL in text, so one in a flag key or a label was a 500 there.
 *
 * It costs one walk of the parsed body, stopped at the depth limit; strings are only looked at when the
 * raw text has an escape that can make a control character (JSON forbids them unescaped), and the query
 * string and path only when the URL has a percent-escape that can.
 */

export const MAX_JSON_DEPTH = 32;

type Done = (err: Error | null, body?: unknown) => void;
export type JsonParser = (request: FastifyRequest, body: string, done: Done) => void;

/** Fastify's JSON parser with the depth limit and the control characters removed. */
export function boundedJsonParser(app: FastifyInstance): JsonParser {
  const parse = app.getDefaultJsonParser('error', 'error') as unknown as JsonParser;
  return (request, body, done) =>
    parse(request, body, (err, value) => {
      if (err) return done(err);
      try {
        done(null, checkJsonBody(body, value));
      } catch (bad) {
        done(bad as Error);
      }
    });
}

/** Replaces the app's JSON parser, and cleans path parameters (the query string: parseQuery, a router option). */
export function installRequestInput(app: FastifyInstance): void {
  const parser = boundedJsonParser(app);
  app.removeContentTypeParser('application/json');
  app.addContentTypeParser('application/json', { parseAs: 'string' }, (request, body, done) => parser(request, body as string, done));
  // A callback hook: it is synchronous, and an async one would cost every request a promise.
  app.addHook('preValidation', (request, _reply, done) => {
    const params = request.params as Record<string, unknown> | undefined;
    if (params && CONTROL_PERCENT.test(request.url)) {
      for (const key of Object.keys(params)) {
        const value = params[key];
        if (typeof value === 'string') params[key] = stripControls(value);
      }
    }
    done();
  });
}

/** A percent-escape of a C0 control character in a URL. */
const CONTROL_PERCENT = /%[01][0-9a-f]/i;

/** An escape in JSON text that decodes to a C0 control other than tab and newline (or a false alarm on `\\b`). */
const CONTROL_ESCAPE = /\\(?:u00[01][0-9a-fA-F]|[bfr])/;

/** `value` (parsed from `text`) after the depth check, with control characters removed from its strings. */
export function checkJsonBody(text: string, value: unknown): unknown {
  if (CONTROL_ESCAPE.test(text)) return walk(value, 1, true);
  checkDepth(value, 1);
  return value;
}

/** The depth check alone (the common case): no copies, and no call for a string or a number. */
function checkDepth(value: unknown, depth: number): void {
  if (typeof value !== 'object' || value === null) return;
  if (depth > MAX_JSON_DEPTH) throw new JsonTooDeep(MAX_JSON_DEPTH);
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      const v: unknown = value[i];
      if (typeof v === 'object' && v !== null) checkDepth(v, depth + 1);
    }
    return;
  }
  for (const key in value) {
    const v = (value as Record<string, unknown>)[key];
    if (typeof v === 'object' && v !== null) checkDepth(v, depth + 1);
  }
}

function walk(value: unknown, depth: number, clean: boolean): unknown {
  if (typeof value === 'string') return clean ? stripControls(value) : value;
  if (value === null || typeof value !== 'object') return value;
  if (depth > MAX_JSON_DEPTH) throw new JsonTooDeep(MAX_JSON_DEPTH);
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) value[i] = walk(value[i], depth + 1, clean);
    return value;
  }
  const object = value as Record<string, unknown>;
  for (const key of Object.keys(object)) {
    const v = walk(object[key], depth + 1, clean);
    const k = clean ? stripControls(key) : key;
    if (k === key) {
      if (v !== object[key]) object[key] = v;
      continue;
    }
    delete object[key];
    // Defined, not assigned: a key that became "__proto__" stays an ordinary key.
    Object.defineProperty(object, k, { value: v, enumerable: true, writable: true, configurable: true });
  }
  return object;
}

/** Query strings parsed as Fastify does (Node's querystring format), their values without control characters. */
export function parseQuery(text: string): Record<string, string | string[]> {
  if (text.length === 0) return {};
  const query = parseQueryString(text) as Record<string, string | string[]>;
  // Only a percent-escape can carry a control character in a URL.
  if (!CONTROL_PERCENT.test(text)) return query;
  const out: Record<string, string | string[]> = {};
  for (const [k, v] of Object.entries(query)) {
    Object.defineProperty(out, stripControls(k), { value: Array.isArray(v) ? v.map(stripControls) : stripControls(v), enumerable: true, writable: true, configurable: true });
  }
  return out;
}
