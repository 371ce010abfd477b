import type { z } from 'zod';
import { formatPath } from '../../config/index.js';
import { valueAt } from '../../shared/zod-issues.js';

/**
 * Validation errors of ingested alert bodies, written for the person wiring up a sender: each names the
 * field (`alerts[0].startsAt`) and what was expected there. The routes answer them as 400s.
 */

export interface IngestIssue {
  /** Field path such as `alerts[0].startsAt`; empty for the body itself. */
  path: string;
  message: string;
}

export class IngestError extends Error {
  /** HTTP status the route answers with. */
  readonly status = 400;

  constructor(readonly issues: IngestIssue[]) {
    super(issues.map(formatIssue).join('; '));
    this.name = 'IngestError';
  }
}

export function formatIssue(issue: IngestIssue): string {
  return `${issue.path || 'body'}: ${issue.message}`;
}

export function describeValue(value: unknown): string {
  if (value === undefined) return 'nothing';
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'object') return 'an object';
  const text = JSON.stringify(value);
  return text.length > 60 ? `${text.slice(0, 57)}…` : text;
}

/** Turns zod issues into field-named messages; `raw` is the body as received, to say what was found. */
export function ingestIssues(issues: readonly z.core.$ZodIssue[], raw: unknown, prefix: readonly PropertyKey[] = []): IngestIssue[] {
  const out: IngestIssue[] = [];
  for (const issue of issues) {
    const path = [...prefix, ...issue.path];
    const actual = valueAt(raw, path);
    const at = formatPath(path);
    switch (issue.code) {
      case 'invalid_type': {
        // JSON has objects, not records: say what a sender writes.
        const expected = issue.expected === 'record' ? 'object' : issue.expected;
        out.push({ path: at, message: actual === undefined ? `required field missing (expected ${expected})` : `expected ${expected}, got ${describeValue(actual)}` });
        break;
      }
      case 'invalid_key':
        out.push({ path: at, message: issue.issues.map((i) => i.message).join('; ') });
        break;
      case 'invalid_value': {
        const expected = `one of ${issue.values.map((v) => JSON.stringify(v)).join(', ')}`;
        out.push({ path: at, message: actual === undefined ? `required field missing (expected ${expected})` : `expected ${expected}, got ${describeValue(actual)}` });
        break;
      }
      case 'invalid_union': {
        // Report the branch that got furthest. A branch that failed only because the body has another
        // type (an array where an object was expected) is the least likely intent.
        const rootTypeOnly = (b: readonly z.core.$ZodIssue[]) => b.every((e) => e.code === 'invalid_type' && e.path.length === 0);
        const branches = issue.errors.filter((b) => b.length > 0 && !rootTypeOnly(b));
        if (branches.length === 0) {
          out.push({ path: at, message: `${issue.message === 'Invalid input' ? 'unexpected type' : issue.message}, got ${describeValue(actual)}` });
          break;
        }
        const best = branches.reduce((a, b) => (b.length < a.length ? b : a));
        out.push(...ingestIssues(best, raw, path));
        break;
      }
      default:
        // Custom checks, unknown keys and limits carry messages written in the schemas.
        out.push({ path: at, message: issue.message });
    }
  }
  return out;
}

/** Parses `body` with `schema`, throwing an IngestError that names every bad field. */
export function parseIngest<S extends z.ZodType>(schema: S, body: unknown): z.output<S> {
  const result = schema.safeParse(body);
  if (!result.success) throw new IngestError(ingestIssues(result.error.issues, body));
  return result.data;
}
