import type { z } from 'zod';
import { jsonSchemaHint } from './schema/json-schema-hint.js';
import { closest } from './suggest.js';
import { valueAt } from '../shared/zod-issues.js';

/**
 * Turns zod issues into messages written for the person editing medic.yaml: what was expected, what was
 * found, and for an unknown key the known key it most resembles.
 */

type Def = { type: string; [k: string]: unknown };
const defOf = (s: z.ZodType): Def => (s as unknown as { _zod: { def: Def } })._zod.def;

/** The object keys a schema accepts at `path`, following the raw value through unions. */
export function knownKeysAt(schema: z.ZodType, path: readonly PropertyKey[], raw: unknown): string[] {
  let s: z.ZodType | undefined = schema;
  let value = raw;
  let i = 0;
  for (let guard = 0; s && guard < 200; guard++) {
    const hint = jsonSchemaHint(s);
    if (hint) s = hint;
    const def = defOf(s);
    switch (def.type) {
      case 'optional':
      case 'nullable':
      case 'default':
      case 'prefault':
      case 'readonly':
        s = def.innerType as z.ZodType;
        continue;
      case 'pipe': {
        const input = def.in as z.ZodType;
        s = defOf(input).type === 'transform' ? (def.out as z.ZodType) : input;
        continue;
      }
      case 'union': {
        const options = def.options as z.ZodType[];
        const disc = def.discriminator as string | undefined;
        const objects = options.filter((o) => knownKeysAt(o, [], undefined).length > 0);
        let pick: z.ZodType | undefined;
        if (disc && value && typeof value === 'object') {
          const want = (value as Record<string, unknown>)[disc];
          pick = objects.find((o) => {
            const d = defOf(o);
            const shape = (d.shape ?? {}) as Record<string, z.ZodType>;
            const lit = shape[disc] ? defOf(shape[disc]) : undefined;
            return (lit?.values as unknown[] | undefined)?.includes(want);
          });
        }
        if (!pick && value && typeof value === 'object') {
          // Choose the option sharing the most keys with what was written.
          const written = Object.keys(value);
          let best = -1;
          for (const o of objects) {
            const keys = knownKeysAt(o, [], undefined);
            const score = written.filter((k) => keys.includes(k)).length;
            if (score > best) [best, pick] = [score, o];
          }
        }
        s = pick ?? objects[0] ?? options[0];
        continue;
      }
      case 'object': {
        const shape = def.shape as Record<string, z.ZodType>;
        if (i === path.length) return Object.keys(shape);
        const key = path[i++] as string;
        s = shape[key];
        value = valueAt(value, [key]);
        continue;
      }
      case 'array':
        if (i === path.length) return [];
        i++;
        value = valueAt(value, [path[i - 1]!]);
        s = def.element as z.ZodType;
        continue;
      case 'record':
        if (i === path.length) return [];
        i++;
        s = def.valueType as z.ZodType;
        continue;
      default:
        return [];
    }
  }
  return [];
}

function describe(value: unknown): string {
  if (value === undefined) return 'nothing';
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'object') return 'a mapping';
  return JSON.stringify(value);
}

export interface FriendlyIssue {
  path: PropertyKey[];
  message: string;
  /** For unknown keys: the key itself, so the position can point at it rather than its parent. */
  key?: string;
}

export function friendlyIssues(issues: readonly z.core.$ZodIssue[], schema: z.ZodType, raw: unknown): FriendlyIssue[] {
  const out: FriendlyIssue[] = [];
  for (const issue of issues) {
    const path = [...issue.path];
    const actual = valueAt(raw, path);
    switch (issue.code) {
      case 'invalid_type':
        out.push({
          path,
          message: actual === undefined ? `missing required key (expected ${issue.expected})` : `expected ${issue.expected}, got ${describe(actual)}`,
        });
        break;
      case 'unrecognized_keys': {
        const known = knownKeysAt(schema, path, raw);
        for (const key of issue.keys) {
          const hint = closest(key, known);
          out.push({ path: [...path, key], key, message: `unknown key ${JSON.stringify(key)}${hint ? ` (did you mean ${JSON.stringify(hint)}?)` : ''}` });
        }
        break;
      }
      case 'invalid_value':
        out.push({ path, message: `expected one of ${issue.values.map((v) => String(v)).join(', ')}, got ${describe(actual)}` });
        break;
      case 'too_small':
      case 'too_big':
        out.push({ path, message: `${issue.message}, got ${describe(actual)}` });
        break;
      case 'invalid_union': {
        // Report the errors of the branch that got furthest, rather than "invalid input".
        const branches = issue.errors.filter((e) => e.length > 0);
        if (branches.length > 0 && !issue.message.startsWith('expected')) {
          // A branch that failed only because the value has another type is the least likely intent.
          const score = (b: readonly z.core.$ZodIssue[]) =>
            (b.every((e) => e.code === 'invalid_type' && e.path.length === 0) ? 1000 : 0) + b.length;
          const best = branches.reduce((a, b) => (score(b) < score(a) ? b : a));
          out.push(...friendlyIssues(best.map((e) => ({ ...e, path: [...path, ...e.path] })), schema, raw));
        } else out.push({ path, message: issue.message });
        break;
      }
      default:
        out.push({ path, message: issue.message });
    }
  }
  return out;
}
