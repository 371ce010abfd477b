/**
 * Secret values known to this process (from `${ENV}` substitution, config tokens, …) and the one function
 * that removes them from text before it reaches a log, a timeline event, a notification or an API answer.
 */

export const REDACTED = '[REDACTED]';

/** Too short to redact without mangling ordinary text ("1", "on", a port number). */
const MIN_SECRET_LENGTH = 4;

export class Redactor {
  private readonly secrets = new Set<string>();
  private pattern: RegExp | undefined;

  constructor(secrets: Iterable<string> = []) {
    for (const s of secrets) this.add(s);
  }

  add(secret: string): void {
    if (secret.length < MIN_SECRET_LENGTH || /^\d+$/.test(secret) || /^(true|false)$/i.test(secret)) return;
    if (this.secrets.has(secret)) return;
    this.secrets.add(secret);
    // Also the forms a secret takes inside URLs and JSON, so `https://user:p%40ss@host` is caught too.
    for (const form of [encodeURIComponent(secret), JSON.stringify(secret).slice(1, -1)]) {
      if (form !== secret && form.length >= MIN_SECRET_LENGTH) this.secrets.add(form);
    }
    this.pattern = undefined;
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
    this.pattern ??= new RegExp(
      [...this.secrets]
        .sort((a, b) => b.length - a.length)
        .map((s) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'))
        .join('|'),
      'g',
    );
    return text.replace(this.pattern, REDACTED);
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
