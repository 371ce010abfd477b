import { z } from 'zod';
import { duration } from '../units.js';
import { headers, httpUrl, regex } from './common.js';
import { describedAs } from './json-schema-hint.js';

/** What an HTTP request of a monitor or a journey step asserts, shared by `http` monitors and steps. */

const STATUS_RANGE = /^\s*(\d{3})\s*-\s*(\d{3})\s*$/;

/** One accepted status: 200, or the range "200-299". */
export interface StatusRange {
  min: number;
  max: number;
}

function toRange(value: unknown): StatusRange | undefined {
  if (typeof value === 'number' && Number.isInteger(value) && value >= 100 && value <= 599) return { min: value, max: value };
  if (typeof value === 'string') {
    if (/^\s*\d{3}\s*$/.test(value)) return toRange(Number(value));
    const m = STATUS_RANGE.exec(value);
    if (m && Number(m[1]) <= Number(m[2])) return { min: Number(m[1]), max: Number(m[2]) };
  }
  return undefined;
}

/** `assert_status`: a number, a list, or a range such as "200-299"; parses to a list of ranges. */
const parseStatusAssertion = z.unknown().transform((value, ctx): StatusRange[] => {
  const items = Array.isArray(value) ? value : [value];
  const ranges = items.map(toRange);
  if (items.length === 0 || ranges.some((r) => r === undefined)) {
    const bad = Array.isArray(value) ? items[ranges.findIndex((r) => r === undefined)] : value;
    ctx.addIssue({
      code: 'custom',
      message: `expected number (an HTTP status such as 200), a list of them, or a range such as "200-299", got ${JSON.stringify(bad ?? value)}`,
      input: value,
    });
    return z.NEVER;
  }
  return ranges as StatusRange[];
});
const statusItem = z.union([z.number().int().min(100).max(599), z.string().regex(/^\d{3}(-\d{3})?$/)]);
export const statusAssertion = describedAs(parseStatusAssertion, z.union([statusItem, z.array(statusItem)]));

export const jsonPathAssertion = z.union([
  z.string().min(1),
  z.strictObject({
    path: z.string().min(1),
    equals: z.unknown().optional(),
    matches: regex().optional(),
    gt: z.number().optional(),
    lt: z.number().optional(),
  }),
]);
export type JsonPathAssertion = z.infer<typeof jsonPathAssertion>;

const oneOrMany = <T extends z.ZodType>(item: T) =>
  z.union([item, z.array(item)]).transform((v) => (Array.isArray(v) ? v : [v]) as z.output<T>[]);

/** The request part: what to send. */
export const httpRequestFields = {
  url: httpUrl().describe('URL to request; in journeys {{name}} inserts a value extracted by an earlier step.'),
  method: z
    .string()
    .default('GET')
    .transform((m) => m.toUpperCase())
    .pipe(z.enum(['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS']))
    .describe('HTTP method.'),
  headers: headers.default({}).describe('Request headers.'),
  query: z.record(z.string(), z.union([z.string(), z.number(), z.boolean()]).transform(String)).default({}),
  body: z.union([z.string(), z.record(z.string(), z.unknown()), z.array(z.unknown())]).optional().describe('A string is sent as is; an object or list is sent as JSON.'),
  follow_redirects: z.boolean().default(true).describe('Follow redirects (up to max_redirects); one to another origin drops the configured headers and credentials.'),
  max_redirects: z.number().int().min(0).max(20).default(5),
  verify_tls: z.boolean().default(true).describe('Verify the server\'s TLS certificate (turn off only for self-signed internal targets).'),
} as const;

/** The assertion part: what must hold about the response. */
export const httpAssertionFields = {
  assert_status: statusAssertion.optional().describe('Expected status: 200, [200, 204], or "200-299".'),
  assert_load_time_ms: z.number().positive().optional().describe('Fail when the response takes longer than this many milliseconds.'),
  assert_json_path: oneOrMany(jsonPathAssertion).optional().describe('A JSONPath that must match ("$.token"), or {path, equals | matches | gt | lt}.'),
  assert_body_contains: oneOrMany(z.string()).optional().describe('Text the body must contain.'),
  assert_body_matches: regex().optional().describe('Regular expression the body must match.'),
  assert_header: z.record(z.string(), z.string()).optional().describe('Header name → expected value; a value wrapped in slashes is a regular expression.'),
} as const;

/** A step of a multi-step journey: one request, its assertions, and what it hands to later steps. */
export const journeyStep = z.strictObject({
  name: z.string().min(1).optional(),
  ...httpRequestFields,
  ...httpAssertionFields,
  use_auth_from_step: z.number().int().positive().optional().describe('Send `Authorization: Bearer <token>` taken from step N\'s JSON body (1-based).'),
  auth_json_path: z.string().optional().describe('Where the token is in that step\'s body (default `$.token`).'),
  extract: z.record(z.string(), z.string()).optional().describe('Values to save for later steps as `{{name}}`: `{ order_id: "$.id" }`.'),
  timeout: duration().optional(),
});
export type JourneyStep = z.infer<typeof journeyStep>;
