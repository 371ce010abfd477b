import { LiteralMatcher, WINDOW, type Literal } from './literal-matcher.js';

/**
 * Secret values known to this process (from `${ENV}` substitution, config tokens, …) and the one function
 * that removes them from text before it reaches a log, a timeline event, a notification or an API answer.
 *
 * A secret is removed in every form text usually carries it in (see README, "Environment variables and
 * secrets"): as written; URL-encoded, both as encodeURIComponent and as encodeURI write it (a secret in a
 * URL path keeps its `/`), and as a query string writes it (a space as `+`), with %XX in upper or lower
 * case; JSON-escaped; and base64 (standard and URL-safe), also when it is only a part of what was
 * encoded, as in `Authorization: Basic base64(user:secret)`.
 */

export const REDACTED = '[REDACTED]';

/**
 * Shorter values are not redacted: they would mangle ordinary text (a port, "true", a name), and they are
 * too short to be secrets. `medic validate` warns about each `${ENV}` value that is shorter.
 */
export const MIN_SECRET_LENGTH = WINDOW;

/** True when a value is long enough to be redacted. */
export function isRedactable(value: string): boolean {
  return value.length >= MIN_SECRET_LENGTH;
}

export class Redactor {
  private readonly secrets = new Set<string>();
  /** Every form of every secret, by its text. */
  private readonly forms = new Map<string, Literal>();
  /** One matcher of all forms, built once after the secrets change (not per form, not per call). */
  private matcher: LiteralMatcher | undefined;

  constructor(secrets: Iterable<string> = []) {
    for (const s of secrets) this.add(s);
  }

  add(secret: string): void {
    if (!isRedactable(secret) || this.secrets.has(secret)) return;
    this.secrets.add(secret);
    for (const form of secretForms(secret)) if (!this.forms.has(form.text) || form.tail) this.forms.set(form.text, form);
    this.matcher = undefined;
  }

  /** Learns another redactor's secrets (a reloaded config's new `${ENV}` values). */
  addAll(other: Redactor): void {
    for (const s of other.secrets) this.add(s);
  }

  get size(): number {
    return this.secrets.size;
  }

  redact(text: string): string {
    if (this.secrets.size === 0 || text.length === 0) return text;
    this.matcher ??= new LiteralMatcher(this.forms.values());
    return this.matcher.replace(text, REDACTED);
  }

  /** Redacts every string inside a JSON-like value, returning a copy. */
  redactDeep<T>(value: T): T {
    if (this.secrets.size === 0) return value;
    return this.walk(value) as T;
  }

  private walk(value: unknown): unknown {
    if (typeof value === 'string') return this.redact(value);
    if (Array.isArray(value)) return value.map((v) => this.walk(v));
    if (value && typeof value === 'object' && (value.constructor === Object || value.constructor === undefined)) {
      const out: Record<string, unknown> = {};
      for (const [k, v] of Object.entries(value)) out[k] = this.walk(v);
      return out;
    }
    return value;
  }
}

const URL_ENCODINGS: Array<(s: string) => string> = [encodeURIComponent, encodeURI, (s) => new URLSearchParams({ s }).toString().slice(2)];

/** The forms text carries a secret in. */
function secretForms(secret: string): Literal[] {
  const out: Literal[] = [{ text: secret }, { text: JSON.stringify(secret).slice(1, -1) }];
  for (const encode of URL_ENCODINGS) {
    let encoded: string;
    try {
      encoded = encode(secret);
    } catch {
      continue; // a lone surrogate, which no URL can carry
    }
    out.push({ text: encoded });
    // Some clients write %2f where encodeURI writes %2F.
    const lower = encoded.replace(/%[0-9A-F]{2}/g, (e) => e.toLowerCase());
    if (lower !== encoded) out.push({ text: lower });
  }
  out.push(...base64Forms(Buffer.from(secret, 'utf8')));
  return out;
}

const BASE64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
const toUrlSafe = (s: string) => s.replace(/\+/g, '-').replace(/\//g, '_');

/**
 * Where a secret sits inside encoded data (`user:secret`), its base64 depends on its offset in its
 * 3-byte group: so one form per offset (0, 1, 2), each in the standard and the URL-safe alphabet. A form
 * is the characters made only of the secret's bits; the character after them, which also holds bits of
 * what follows, is its `tail`: any of the characters it can be. The character before, shared with what
 * precedes, holds 2 or 4 bits of the secret and is left as it is; a form holds at least 42.
 */
function base64Forms(bytes: Buffer): Literal[] {
  const forms: Literal[] = [];
  for (let offset = 0; offset < 3; offset++) {
    const first = offset * 8;
    const end = first + bytes.length * 8;
    const secretBit = (bit: number) => (bytes[(bit - first) >> 3]! >> (7 - ((bit - first) & 7))) & 1;
    let text = '';
    let tail: string | undefined;
    for (let c = Math.ceil(first / 6); c * 6 < end; c++) {
      let known = 0;
      let mask = 0;
      for (let b = 0; b < 6; b++) {
        const bit = c * 6 + b;
        if (bit >= end) continue;
        mask |= 1 << (5 - b);
        known |= secretBit(bit) << (5 - b);
      }
      if (mask === 63) text += BASE64[known];
      else tail = [...BASE64].filter((_, v) => (v & mask) === known).join('');
    }
    forms.push({ text, ...(tail ? { tail } : {}) });
    if (toUrlSafe(text) !== text || (tail && toUrlSafe(tail) !== tail)) forms.push({ text: toUrlSafe(text), ...(tail ? { tail: toUrlSafe(tail) } : {}) });
  }
  return forms;
}
