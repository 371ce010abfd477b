/**
 * `{{name}}` placeholders in journey steps, filled with values earlier steps extracted. An unknown name
 * is an error rather than an empty string: a request to ".../orders/" would fail somewhere less obvious.
 */

const PLACEHOLDER = /\{\{\s*([A-Za-z_][\w.-]*)\s*\}\}/g;

export class TemplateError extends Error {
  override readonly name = 'TemplateError';
}

export type Variables = ReadonlyMap<string, string>;

export function renderTemplate(text: string, vars: Variables): string {
  if (!text.includes('{{')) return text;
  return text.replace(PLACEHOLDER, (_whole, name: string) => {
    const value = vars.get(name);
    if (value === undefined) {
      const known = [...vars.keys()];
      throw new TemplateError(`unknown variable {{${name}}}${known.length > 0 ? ` (extracted so far: ${known.join(', ')})` : ' (no earlier step extracted any value)'}`);
    }
    return value;
  });
}

/** Renders every string inside a JSON-like value (an object body), leaving keys and other values alone. */
export function renderDeep(value: unknown, vars: Variables): unknown {
  if (typeof value === 'string') return renderTemplate(value, vars);
  if (Array.isArray(value)) return value.map((v) => renderDeep(v, vars));
  if (value !== null && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) out[k] = renderDeep(v, vars);
    return out;
  }
  return value;
}
