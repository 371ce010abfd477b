import type { z } from 'zod';

/** A zod error in one line, each issue with where it is: "payload.flag: Invalid input: expected string, received undefined". */
export function issuesLine(error: z.ZodError): string {
  return error.issues.map((i) => `${i.path.length > 0 ? `${formatPath(i.path)}: ` : ''}${i.message}`).join('; ');
}

/** `['monitors', 0, 'steps', 1, 'assert_status']` → `monitors[0].steps[1].assert_status`. */
export function formatPath(path: readonly PropertyKey[]): string {
  let out = '';
  for (const part of path) {
    if (typeof part === 'number') out += `[${part}]`;
    else out += out ? `.${String(part)}` : String(part);
  }
  return out;
}

/** The value a zod issue's path points at in the input, or undefined where the path leaves it. */
export function valueAt(root: unknown, path: readonly PropertyKey[]): unknown {
  let v = root;
  for (const p of path) {
    if (v === null || typeof v !== 'object') return undefined;
    v = (v as Record<PropertyKey, unknown>)[p];
  }
  return v;
}
