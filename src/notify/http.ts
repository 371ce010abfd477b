import type { Redactor } from '../config/index.js';
import { OutboundError, sendRequest } from '../shared/http.js';
import { oneLine } from '../shared/text.js';
import { delivered, permanent, retryable, type DeliveryResult, type SendContext } from './channel.js';
import { urlSecrets, withSecrets } from './redaction.js';

/**
 * The one HTTP POST every webhook-style channel makes (as Alertmanager's integrations share one poster),
 * sent through Medic's one outbound HTTP helper (../shared/http.ts), and the one place that decides what
 * an answer means for the next attempt of the durable delivery (./deliver.ts, the one retrier):
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
  let res;
  try {
    res = await sendRequest({
      url,
      method: 'POST',
      body,
      headers: { 'content-type': 'application/json; charset=utf-8', 'user-agent': USER_AGENT, ...lowerCaseKeys(headers) },
      signal: ctx.signal,
      timeoutMs: ctx.timeoutMs,
      keepBytes: MAX_BODY_READ,
      rest: 'stop',
    });
  } catch (err) {
    return { result: unanswered(err, ctx, redactor), body: '' };
  }
  const text = res.body.text();
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
}

/** No answer: the deadline passed, the delivery was aborted, or the request failed. */
function unanswered(err: unknown, ctx: SendContext, redactor: Redactor): DeliveryResult {
  // Anything else is a bug: sendNotification turns a throw into a retryable result.
  if (!(err instanceof OutboundError)) throw err;
  if (err.kind === 'timeout') return retryable(null, `no answer within ${ctx.timeoutMs} ms`);
  if (err.kind === 'cancelled') return retryable(null, 'delivery aborted');
  const reason = redactor.redact(err.message);
  // A request the client refuses to make (bad URL, bad header) fails the same way every time.
  return PERMANENT_CLIENT_ERRORS.has(err.code ?? '') ? permanent(null, reason) : retryable(null, reason);
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

function header(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}

function lowerCaseKeys(headers: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(headers).map(([k, v]) => [k.toLowerCase(), v]));
}
