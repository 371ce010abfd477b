/**
 * The small condition language of medic.yaml, used wherever config compares a measured value:
 * `degraded_if: "total_ms > 800"`, alert `condition: "error_rate > 5%"`, flag rules
 * `when: 'plan == "pro" and country in [US, CA]'`.
 *
 *   condition  := comparison ( "and" comparison )*
 *   comparison := ident op value
 *   op         := == | != | > | >= | < | <= | in | not in | matches
 *   value      := number [ms|s|m|h|%] | "string" | 'string' | bare-word | [ value, ... ]
 *
 * Percentages become fractions (5% → 0.05) and durations milliseconds (1s → 1000), the same units the
 * rest of Medic measures in. It is parsed once when the config loads, so a typo fails `medic validate`
 * instead of an incident.
 */

export type ConditionOp = '==' | '!=' | '>' | '>=' | '<' | '<=' | 'in' | 'not in' | 'matches';
export type ConditionValue = string | number | boolean | ConditionValue[];
export interface Comparison {
  field: string;
  op: ConditionOp;
  value: ConditionValue;
}
export interface Condition {
  source: string;
  all: Comparison[];
}

const TOKEN_RE =
  /\s*(?:(==|!=|>=|<=|>|<)|(\[)|(\])|(,)|"((?:[^"\\]|\\.)*)"|'((?:[^'\\]|\\.)*)'|(-?\d+(?:\.\d+)?)(ms|s|m|h|%)?(?![\w.])|([A-Za-z_][\w.\-/]*))/y;

type Token =
  | { kind: 'op'; text: string }
  | { kind: 'open' | 'close' | 'comma' }
  | { kind: 'string'; text: string }
  | { kind: 'number'; value: number }
  | { kind: 'word'; text: string };

const UNIT: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, '%': 0.01 };

function tokenize(source: string): Token[] {
  const tokens: Token[] = [];
  TOKEN_RE.lastIndex = 0;
  let pos = 0;
  while (pos < source.length) {
    if (/^\s*$/.test(source.slice(pos))) break;
    TOKEN_RE.lastIndex = pos;
    const m = TOKEN_RE.exec(source);
    if (!m) throw new Error(`unexpected text at "${source.slice(pos).trim()}"`);
    pos = TOKEN_RE.lastIndex;
    if (m[1]) tokens.push({ kind: 'op', text: m[1] });
    else if (m[2]) tokens.push({ kind: 'open' });
    else if (m[3]) tokens.push({ kind: 'close' });
    else if (m[4]) tokens.push({ kind: 'comma' });
    else if (m[5] !== undefined) tokens.push({ kind: 'string', text: m[5].replace(/\\(.)/g, '$1') });
    else if (m[6] !== undefined) tokens.push({ kind: 'string', text: m[6].replace(/\\(.)/g, '$1') });
    else if (m[7] !== undefined) tokens.push({ kind: 'number', value: Number(m[7]) * (m[8] ? UNIT[m[8]]! : 1) });
    else if (m[9]) tokens.push({ kind: 'word', text: m[9] });
  }
  return tokens;
}

/** Parses a condition; throws an Error whose message says what is wrong and where. */
export function parseCondition(source: string): Condition {
  const tokens = tokenize(source);
  let i = 0;
  const peek = () => tokens[i];
  const fail = (what: string): never => {
    throw new Error(`${what} in condition ${JSON.stringify(source)} (expected: field op value, e.g. "total_ms > 800")`);
  };

  const parseValue = (): ConditionValue => {
    const t = tokens[i++];
    if (!t) return fail('missing value');
    if (t.kind === 'number') return t.value;
    if (t.kind === 'string') return t.text;
    if (t.kind === 'word') return t.text === 'true' ? true : t.text === 'false' ? false : t.text;
    if (t.kind === 'open') {
      const list: ConditionValue[] = [];
      if (peek()?.kind === 'close') {
        i++;
        return list;
      }
      for (;;) {
        list.push(parseValue());
        const sep = tokens[i++];
        if (sep?.kind === 'close') return list;
        if (sep?.kind !== 'comma') fail('expected "," or "]" in list');
      }
    }
    return fail('unexpected token');
  };

  const all: Comparison[] = [];
  for (;;) {
    const field = tokens[i++];
    if (field?.kind !== 'word') fail('expected a field name');
    let op: ConditionOp | undefined;
    const t = tokens[i++];
    if (t?.kind === 'op') op = t.text as ConditionOp;
    else if (t?.kind === 'word' && (t.text === 'in' || t.text === 'matches')) op = t.text;
    else if (t?.kind === 'word' && t.text === 'not' && tokens[i]?.kind === 'word' && (tokens[i] as { text: string }).text === 'in') {
      i++;
      op = 'not in';
    } else fail('expected an operator (==, !=, >, >=, <, <=, in, not in, matches)');
    const value = parseValue();
    if ((op === 'in' || op === 'not in') && !Array.isArray(value)) fail(`"${op}" needs a list such as [a, b]`);
    if (op === 'matches') {
      if (typeof value !== 'string') fail('"matches" needs a regular expression in quotes');
      try {
        new RegExp(value as string);
      } catch {
        fail(`invalid regular expression ${JSON.stringify(value)}`);
      }
    }
    all.push({ field: (field as { text: string }).text, op: op!, value });
    const next = tokens[i++];
    if (!next) break;
    if (next.kind !== 'word' || next.text !== 'and') fail('expected "and" between comparisons');
  }
  return { source, all };
}

function equal(a: unknown, b: ConditionValue): boolean {
  if (typeof a === 'number' || typeof b === 'number') return Number(a) === Number(b);
  return String(a) === String(b);
}

function compareOne(actual: unknown, c: Comparison): boolean {
  switch (c.op) {
    case '==':
      return actual !== undefined && equal(actual, c.value);
    case '!=':
      return actual === undefined || !equal(actual, c.value);
    case '>':
      return typeof actual === 'number' && actual > Number(c.value);
    case '>=':
      return typeof actual === 'number' && actual >= Number(c.value);
    case '<':
      return typeof actual === 'number' && actual < Number(c.value);
    case '<=':
      return typeof actual === 'number' && actual <= Number(c.value);
    case 'in':
      return actual !== undefined && listHas(c.value as ConditionValue[], actual);
    case 'not in':
      return actual === undefined || !listHas(c.value as ConditionValue[], actual);
    case 'matches':
      return actual !== undefined && patternOf(c).test(String(actual));
  }
}

// Conditions are evaluated per flag evaluation (thousands a second): plain loops rather than callbacks,
// and a `matches` pattern compiled once per comparison rather than once per evaluation.
function listHas(list: readonly ConditionValue[], actual: unknown): boolean {
  for (let i = 0; i < list.length; i++) if (equal(actual, list[i]!)) return true;
  return false;
}

const patterns = new WeakMap<Comparison, RegExp>();

function patternOf(c: Comparison): RegExp {
  let re = patterns.get(c);
  if (!re) {
    re = new RegExp(String(c.value));
    patterns.set(c, re);
  }
  return re;
}

/** True when every comparison holds for the given values (a missing field makes ordering comparisons false). */
export function evaluateCondition(condition: Condition, values: Record<string, unknown>): boolean {
  const all = condition.all;
  for (let i = 0; i < all.length; i++) if (!compareOne(values[all[i]!.field], all[i]!)) return false;
  return true;
}

/** The fields a condition reads, so a schema can reject `totl_ms > 800` with a hint. */
export function conditionFields(condition: Condition): string[] {
  return condition.all.map((c) => c.field);
}
