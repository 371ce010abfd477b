import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { LiteralMatcher, type Literal } from '../../src/config/literal-matcher.js';
import { REDACTED, Redactor } from '../../src/config/index.js';

const b64 = (s: string) => Buffer.from(s).toString('base64');

describe('redactor', () => {
  const DIGITS = '739104628351';
  const PATH = 'ab c/def9';
  const PASSWORD = 'hunter2-pass';
  const r = new Redactor([DIGITS, PATH, PASSWORD]);

  it('redacts an all-digit secret', () => {
    expect(r.redact(`account ${DIGITS} charged`)).toBe(`account ${REDACTED} charged`);
  });

  it('redacts a secret in every URL-encoded form: encodeURI, encodeURIComponent, a query string, lower-case hex', () => {
    expect(encodeURI(PATH)).toBe('ab%20c/def9');
    expect(r.redact(`GET https://api.example/v1/${encodeURI(PATH)}/x`)).toBe(`GET https://api.example/v1/${REDACTED}/x`);
    expect(r.redact(`?k=${encodeURIComponent(PATH)}`)).toBe(`?k=${REDACTED}`);
    expect(r.redact(`?${new URLSearchParams({ k: PATH }).toString()}`)).toBe(`?k=${REDACTED}`);
    expect(r.redact('?k=ab%20c%2fdef9')).toBe(`?k=${REDACTED}`);
    expect(r.redact(JSON.stringify({ k: PATH }))).toBe(`{"k":"${REDACTED}"}`);
  });

  it('redacts base64 of a secret, standalone, URL-safe, and inside a Basic credential at any offset', () => {
    expect(r.redact(`token ${b64(PASSWORD)}`)).toBe(`token ${REDACTED}`);
    expect(r.redact(`token ${b64(DIGITS)}`)).toBe(`token ${REDACTED}`);
    for (const user of ['u', 'us', 'user', 'monitor']) {
      for (const encoded of [b64(`${user}:${PASSWORD}`), Buffer.from(`${user}:${PASSWORD}?>`).toString('base64url')]) {
        const out = r.redact(`Authorization: Basic ${encoded}`);
        expect(out, encoded).toContain(REDACTED);
        // What is left is at most a character on each side of the secret's part: never enough to decode it.
        const rest = out.replace('Authorization: Basic ', '').split(REDACTED).join('');
        expect(Buffer.from(rest, 'base64').toString('latin1')).not.toMatch(/hunter|2-pa|pass/);
      }
    }
  });

  it('leaves values shorter than 6 characters and text that only resembles a secret alone', () => {
    const short = new Redactor(['8080', 'on', 'true', 'abcde']);
    expect(short.size).toBe(0);
    expect(short.redact('port 8080 on true abcde')).toBe('port 8080 on true abcde');
    expect(r.redact(`${b64('hunter2-pasS')} 73910462835 ab c/def`)).toBe(`${b64('hunter2-pasS')} 73910462835 ab c/def`);
  });

  it('takes a value no URL can carry (a lone surrogate) without failing', () => {
    const odd = new Redactor(['abc\uD800def']);
    expect(odd.redact('x abc\uD800def y')).toBe(`x ${REDACTED} y`);
  });

  it('learns new secrets after it has been used (a reload)', () => {
    const x = new Redactor(['first-secret']);
    expect(x.redact('first-secret second-secret')).toBe(`${REDACTED} second-secret`);
    x.addAll(new Redactor(['second-secret']));
    expect(x.redact('first-secret second-secret')).toBe(`${REDACTED} ${REDACTED}`);
  });
});

/** The reference: at each position, the longest literal that starts there (with its tail), else move on. */
function naiveReplace(literals: Literal[], text: string, by: string): string {
  const sorted = [...literals].sort((a, b) => b.text.length - a.text.length);
  let out = '';
  let i = 0;
  while (i < text.length) {
    const hit = sorted.find((l) => text.startsWith(l.text, i));
    if (!hit) {
      out += text[i++];
      continue;
    }
    let end = i + hit.text.length;
    if (hit.tail !== undefined && end < text.length && hit.tail.includes(text[end]!)) end++;
    out += by;
    i = end;
  }
  return out;
}

describe('literal matcher', () => {
  it('finds what the naive search finds, for random literals and texts over a small alphabet', () => {
    const alphabet = fc.constantFrom('a', 'b', 'c', '%', '2', 'é', '😀');
    const word = (min: number, max: number) => fc.array(alphabet, { minLength: min, maxLength: max }).map((a) => a.join(''));
    const literal = fc.record({ text: word(6, 10), tail: fc.option(word(1, 3), { nil: undefined }) });
    fc.assert(
      fc.property(fc.uniqueArray(literal, { maxLength: 8, selector: (l) => l.text }), fc.array(fc.oneof(word(0, 6), word(6, 12)), { maxLength: 12 }), (literals, parts) => {
        // Texts made partly of the literals themselves, so matches, overlaps and near misses all occur.
        const text = parts.map((p, i) => (i % 2 === 0 && literals.length > 0 ? literals[i % literals.length]!.text + p : p)).join('');
        const clean = literals.map((l) => (l.tail === undefined ? { text: l.text } : l));
        expect(new LiteralMatcher(clean).replace(text, '#')).toBe(naiveReplace(clean, text, '#'));
      }),
      { numRuns: 3000 },
    );
  });

  it('refuses a literal shorter than its window', () => {
    expect(() => new LiteralMatcher([{ text: 'abc' }])).toThrow(RangeError);
  });
});
