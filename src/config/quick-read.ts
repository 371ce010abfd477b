import jsYaml from 'js-yaml';
import { isWholeReference, substituteEnv } from './env.js';
import { isRedactable } from './secrets.js';

/**
 * medic.yaml read the quick way. js-yaml builds plain values straight from the text: for a 1.6 MB file
 * of 10,000 monitors, 0.17 s of CPU and ~16 MB, where yaml's Document (loader.ts), which keeps every
 * node's line and column, took 1.7 s and ~180 MB — the peak of `medic start`'s memory at that size.
 *
 * It answers only where it gives exactly what the Document path gives, and otherwise returns undefined
 * so that path runs: it alone reports mistakes and warnings, because they name a line, a column and a
 * key. So: YAML 1.2's core schema resolved as yaml resolves it (below); no directives, tags, complex
 * keys or aliases (each is rare in a medic.yaml, and each is where the two parsers part or where an
 * alias bomb must be counted); `${ENV}` substituted in values, never in keys, with an unquoted whole
 * reference typed the way loader.ts types it; any parse error, unset variable or short secret → undefined.
 */

export interface QuickRead {
  raw: unknown;
  /** Values taken from the environment. */
  secrets: string[];
}

/** The scalars of YAML 1.2's core schema, resolved by the same tests and the same conversions as yaml 2's. */
const scalar = (tag: string, test: RegExp, construct: (s: string) => unknown) =>
  new jsYaml.Type(`tag:yaml.org,2002:${tag}`, { kind: 'scalar', resolve: (s: string | null) => s !== null && test.test(s), construct });
const CORE = jsYaml.FAILSAFE_SCHEMA.extend({
  implicit: [
    new jsYaml.Type('tag:yaml.org,2002:null', { kind: 'scalar', resolve: (s: string | null) => s === null || /^(?:~|[Nn]ull|NULL)?$/.test(s), construct: () => null }),
    scalar('bool', /^(?:[Tt]rue|TRUE|[Ff]alse|FALSE)$/, (s) => s[0] === 't' || s[0] === 'T'),
    scalar('int', /^(?:0o[0-7]+|[-+]?[0-9]+|0x[0-9a-fA-F]+)$/, (s) => (s.startsWith('0o') ? parseInt(s.slice(2), 8) : s.startsWith('0x') ? parseInt(s.slice(2), 16) : parseInt(s, 10))),
    scalar(
      'float',
      /^(?:[-+]?\.(?:inf|Inf|INF)|\.nan|\.NaN|\.NAN|[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)[eE][-+]?[0-9]+|[-+]?(?:\.[0-9]+|[0-9]+\.[0-9]*))$/,
      (s) => (s.slice(-3).toLowerCase() === 'nan' ? NaN : /inf$/i.test(s) ? (s[0] === '-' ? -Infinity : Infinity) : parseFloat(s)),
    ),
  ],
});

/** Text where the two parsers may part: a directive, a tag, a complex key, an anchor or alias. */
const DIFFERENT = /^%|^[ \t]*\?(?:[ \t]|$)|(?:^|[\s[{,])[!&*]/m;

export function quickRead(text: string, env: NodeJS.ProcessEnv, typeWhole: (value: string) => unknown): QuickRead | undefined {
  if (DIFFERENT.test(text)) return undefined;
  // Which `${…}` texts were written plain (unquoted) and which quoted or as blocks: only a plain whole
  // reference becomes a number or a boolean. A text written both ways goes to the Document path.
  const plain = new Set<string>();
  const other = new Set<string>();
  let raw: unknown;
  try {
    raw = jsYaml.load(text, {
      schema: CORE,
      listener(event, state) {
        if (event !== 'close' || state.kind !== 'scalar' || typeof state.result !== 'string' || !state.result.includes('${')) return;
        // js-yaml leaves a plain scalar that no type resolved with the non-specific tag '?'.
        ((state as { tag?: string | null }).tag === '?' ? plain : other).add(state.result);
      },
    });
  } catch {
    return undefined;
  }
  for (const t of plain) if (other.has(t)) return undefined;
  const secrets: string[] = [];
  let ok = true;
  const substitute = (value: string): unknown => {
    const result = substituteEnv(value, env);
    if (result.missing.length > 0) ok = false;
    for (const s of result.secrets) {
      if (s.value !== '' && !isRedactable(s.value)) ok = false;
      secrets.push(s.value);
    }
    if (result.value === value) return value;
    return plain.has(value) && isWholeReference(value) ? typeWhole(result.value) : result.value;
  };
  const walk = (node: unknown): unknown => {
    if (typeof node === 'string') return node.includes('${') ? substitute(node) : node;
    if (Array.isArray(node)) for (let i = 0; i < node.length; i++) node[i] = walk(node[i]);
    else if (node !== null && typeof node === 'object') {
      // A key that resolves to null is "" to yaml and "null" to js-yaml.
      if (Object.hasOwn(node, 'null')) ok = false;
      for (const [k, v] of Object.entries(node)) (node as Record<string, unknown>)[k] = walk(v);
    }
    return node;
  };
  raw = walk(raw);
  return ok ? { raw: raw ?? {}, secrets } : undefined;
}
