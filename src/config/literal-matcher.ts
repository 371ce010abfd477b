/**
 * Finds many literal strings in a text in one pass and replaces them: the matcher behind the redactor,
 * which runs on every log line, timeline event and notification.
 *
 * Why not one regular expression of all of them: V8 runs a large alternation by trying every branch at
 * every position, so its speed falls with each secret added (a few MB/s at 100 secrets × 8 forms), and
 * past 20,000 characters of pattern it stops optimizing it at all (well under 1 MB/s). Nor the npm
 * Aho–Corasick packages: the maintained one segments text into graphemes first (12 MB/s here). This
 * is Rabin–Karp: a rolling hash of the last WINDOW characters is checked against a bit filter of the
 * literals' first WINDOW characters; only on a hit are the literals in that hash's bucket compared. The
 * cost per character does not depend on how many literals there are.
 *
 * Matches are leftmost, and the longest where several start at the same place; they do not overlap.
 */

export interface Literal {
  text: string;
  /** Characters any one of which, found right after `text`, is taken into the match too. */
  tail?: string;
}

/** Every literal is at least this long (the redactor's shortest secret); the hash covers this many characters. */
export const WINDOW = 6;
const BASE = 31;
const FILTER_BITS = 16;
const FILTER_MASK = (1 << FILTER_BITS) - 1;

/** BASE^(WINDOW-1), modulo 2^32: what the character leaving the window contributed. */
const DROP = (() => {
  let p = 1;
  for (let i = 1; i < WINDOW; i++) p = Math.imul(p, BASE);
  return p;
})();

function windowHash(text: string, at: number): number {
  let h = 0;
  for (let i = at; i < at + WINDOW; i++) h = (Math.imul(h, BASE) + text.charCodeAt(i)) | 0;
  return h;
}

export class LiteralMatcher {
  private readonly filter = new Int32Array(1 << (FILTER_BITS - 5));
  private readonly buckets = new Map<number, Literal[]>();

  constructor(literals: Iterable<Literal>) {
    for (const literal of literals) {
      if (literal.text.length < WINDOW) throw new RangeError(`a literal must be at least ${WINDOW} characters`);
      const h = windowHash(literal.text, 0);
      const slot = h & FILTER_MASK;
      this.filter[slot >>> 5]! |= 1 << (slot & 31);
      const bucket = this.buckets.get(h);
      if (bucket) bucket.push(literal);
      else this.buckets.set(h, [literal]);
    }
    for (const bucket of this.buckets.values()) bucket.sort((a, b) => b.text.length - a.text.length);
  }

  replace(text: string, replacement: string): string {
    const n = text.length;
    if (this.buckets.size === 0 || n < WINDOW) return text;
    let out = '';
    let copied = 0;
    let i = 0;
    let h = windowHash(text, 0);
    for (;;) {
      const slot = h & FILTER_MASK;
      if ((this.filter[slot >>> 5]! >>> (slot & 31)) & 1) {
        const end = this.matchAt(text, i, h);
        if (end > 0) {
          out += text.slice(copied, i) + replacement;
          copied = i = end;
          if (i + WINDOW > n) break;
          h = windowHash(text, i);
          continue;
        }
      }
      if (i + WINDOW >= n) break;
      h = (Math.imul(h - Math.imul(text.charCodeAt(i), DROP), BASE) + text.charCodeAt(i + WINDOW)) | 0;
      i++;
    }
    return copied === 0 ? text : out + text.slice(copied);
  }

  /** The end of the longest literal found at `at`, or -1. */
  private matchAt(text: string, at: number, h: number): number {
    const bucket = this.buckets.get(h);
    if (!bucket) return -1;
    for (const literal of bucket) {
      if (!text.startsWith(literal.text, at)) continue;
      const end = at + literal.text.length;
      return literal.tail !== undefined && end < text.length && literal.tail.includes(text[end]!) ? end + 1 : end;
    }
    return -1;
  }
}
