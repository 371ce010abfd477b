import { request } from 'undici';
import { delivered, permanent, retryable, type DeliveryResult, type SendContext } from './channel.js';
import { urlSecrets, withSecrets } from './redaction.js';

/**
 * The one HTTP POST every webhook-style channel makes, and the one place that decides what an answer means
 * for the next attempt:
 *
 *   2xx → ok · 408, 429, 5xx, no answer → retryable (Retry-After honored) · 3xx, other 4xx and a request
 *   the client refuses to make (bad URL or header) → permanent
 *
 * Redirects are not followed: a webhook URL that redirects is a config error to fix, and following it
 * would send the body (and its signature) somewhere the config never named (see ../shared/redirect.ts
 * for what any redirect that is followed may carry).
 */

export const USER_AGENT = 'Medic';

/** How much of an error answer is read and quoted in the reason. */
const MAX_REASON_BODY = 300;
const MAX_BODY_READ = 64 * 1024;
const PERMANENT_CLIENT_ERRORS = new Set(['UND_ERR_INVALID_ARG', 'ERR_INVALID_URL', 'ERR_INVALID_CHAR', 'ERR_INVALID_HTTP_TOKEN']);

export interface HttpAnswer {
  result: DeliveryResult;
  /** The answer's body (at most 64 KiB), unredacted, for a channel that reads it (PagerDuty's dedup_key). */
  body: string;
}

export async function postJson(url: string, body: string, headers: Record<string, string>, ctx: SendContext): Promise<HttpAnswer> {
  // Protect the URL even when the caller's redactor does not know it (a channel used on its own).
  const redactor = withSecrets(ctx.redactor, urlSecrets(url));
  const timeout = AbortSignal.timeout(ctx.timeoutMs);
  const signal = AbortSignal.any([ctx.signal, timeout]);
  try {
    const res = await request(url, {
      method: 'POST',
      body,
      headers: { 'content-type': 'application/json; charset=utf-8', 'user-agent': USER_AGENT, ...lowerCaseKeys(headers) },
      signal,
      headersTimeout: ctx.timeoutMs,
      bodyTimeout: ctx.timeoutMs,
    });
    const text = await readText(res.body, MAX_BODY_READ);
    const status = res.statusCode;
    if (status >= 200 && status < 300) return { result: delivered(status), body: text };
    // Redacted before it is cut: a receiver quoting a credential where the quote ends would otherwise
    // leave its first characters in the reason, where no redaction recognizes them any more.
    const quoted = oneLine(redactor.redact(text)).slice(0, MAX_REASON_BODY);
    const reason = redactor.redact(`HTTP ${status}${quoted ? `: ${quoted}` : ''}`);
    if (status === 408 || status === 429 || status >= 500) {
      return { result: retryable(status, reason, parseRetryAfter(header(res.headers['retry-after']), Date.now())), body: text };
    }
    if (status >= 300 && status < 400) {
      return { result: permanent(status, redactor.redact(`HTTP ${status}: the URL redirects; configure the URL it points to`)), body: text };
    }
    return { result: permanent(status, reason), body: text };
  } catch (err) {
    if (timeout.aborted) return { result: retryable(null, `no answer within ${ctx.timeoutMs} ms`), body: '' };
    if (ctx.signal.aborted) return { result: retryable(null, 'delivery aborted'), body: '' };
    const reason = redactor.redact(describeError(err));
    // A request the client refuses to make (bad URL, bad header) fails the same way every time.
    if (PERMANENT_CLIENT_ERRORS.has(String((err as { code?: unknown }).code))) return { result: permanent(null, reason), body: '' };
    return { result: retryable(null, reason), body: '' };
  }
}

/**
 * Retry-After as delay-seconds or an HTTP-date (RFC 9110 §10.2.3), in ms from `now`; undefined when absent
 * or unreadable.
 */
export function parseRetryAfter(value: string | undefined, now: number): number | undefined {
  if (value === undefined) return undefined;
  const text = value.trim();
  if (/^\d+$/.test(text)) return Number(text) * 1000;
  const at = Date.parse(text);
  return Number.isFinite(at) ? Math.max(0, at - now) : undefined;
}

/** A network error as a person reads it: "ECONNREFUSED: connect ECONNREFUSED 127.0.0.1:9", with its cause. */
export function describeError(err: unknown): string {
  if (!(err instanceof Error)) return String(err);
  const code = (err as { code?: unknown }).code;
  let text = typeof code === 'string' && !err.message.includes(code) ? `${code}: ${err.message}` : err.message || err.name;
  const cause = (err as { cause?: unknown }).cause;
  if (cause instanceof Error && cause.message && !text.includes(cause.message)) text += ` (${describeError(cause)})`;
  return text;
}

function header(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}

function lowerCaseKeys(headers: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(headers).map(([k, v]) => [k.toLowerCase(), v]));
}

const oneLine = (s: string) => s.replace(/\s+/g, ' ').trim();

async function readText(body: AsyncIterable<Buffer>, limit: number): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of body) {
    chunks.push(chunk);
    size += chunk.length;
    if (size >= limit) break; // leaving the loop destroys the stream: the rest is not needed
  }
  return Buffer.concat(chunks).subarray(0, limit).toString('utf8');
}
