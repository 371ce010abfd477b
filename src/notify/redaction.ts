import { Redactor } from '../config/index.js';

/**
 * Secrets of a channel's own config, added to the process-wide redactor for one delivery. A webhook URL
 * is a secret even when it was written into medic.yaml rather than taken from ${ENV}, and its parts are
 * too: an error may quote only the path or the password of `https://user:pass@host/hooks/T0K3N`.
 */

/** The URL and the parts of it an error message might quote on their own. */
export function urlSecrets(url: string): string[] {
  const out = [url];
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return out;
  }
  out.push(parsed.href);
  if (parsed.password) out.push(parsed.password, decodeURIComponent(parsed.password));
  if (parsed.pathname.length > 1 || parsed.search) out.push(`${parsed.pathname}${parsed.search}`);
  // Long path segments are tokens (Slack's /services/T…/B…/X…, Teams' workflow signatures).
  for (const segment of parsed.pathname.split('/')) if (segment.length >= 16) out.push(segment);
  for (const [, value] of parsed.searchParams) out.push(value);
  return out;
}

/** A redactor that removes `extra` as well as everything `base` removes. */
export function withSecrets(base: Redactor, extra: Iterable<string>): Redactor {
  return new LayeredRedactor(base, extra);
}

class LayeredRedactor extends Redactor {
  constructor(
    private readonly base: Redactor,
    extra: Iterable<string>,
  ) {
    super(extra);
  }

  override redact(text: string): string {
    return this.base.redact(super.redact(text));
  }

  override redactDeep<T>(value: T): T {
    return this.base.redactDeep(super.redactDeep(value));
  }
}
