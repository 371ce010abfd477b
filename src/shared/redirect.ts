/**
 * The one redirect policy of Medic's outbound HTTP: every request that follows a redirect asks this
 * function what the next request is. Today that is the HTTP client of checks (`http` monitors and the
 * steps of `multi-step` journeys); runbook `http` and `prometheus` steps, `webhook` actions and
 * notification channels do not follow redirects at all (src/shared/http.ts, the one poster they share).
 *
 * The rule, as browsers and curl apply it: a redirect within the origin (same scheme, host and port)
 * keeps the request's headers; a redirect that leaves the origin drops every header the config put
 * on the request and every credential Medic added to it (`Authorization` from URL userinfo or from a
 * journey's `use_auth_from_step`), because any of them may hold a secret — `X-Api-Key`,
 * `PRIVATE-TOKEN`, `Cookie` — and the other origin was never named in the config. A request body can
 * hold one too (a login step's password): a 307/308, which must resend the body, is not followed to
 * another origin at all.
 */

export const REDIRECT_STATUSES: ReadonlySet<number> = new Set([301, 302, 303, 307, 308]);

export interface RedirectableRequest {
  url: URL;
  method: string;
  /** Every header the caller would send: configured ones and the credentials it added. */
  headers: Record<string, string>;
  body: string | undefined;
}

export type RedirectDecision = { next: RedirectableRequest } | { error: string };

/** Dropped when a redirect turns the request into a GET without a body. */
const BODY_HEADERS = new Set(['content-type', 'content-length', 'content-encoding']);

/** The request a redirect leads to, or why it is not followed. `status` is a REDIRECT_STATUSES member. */
export function redirectRequest(from: RedirectableRequest, status: number, location: string): RedirectDecision {
  let url: URL;
  try {
    url = new URL(location, from.url);
  } catch {
    return { error: `redirect to an invalid URL ${JSON.stringify(location)}` };
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return { error: `redirect to a non-HTTP URL ${JSON.stringify(url.href)}` };

  let { method, headers, body } = from;
  // RFC 9110 §15.4: 303 always becomes GET; 301/302 after POST do too, as every client does in practice.
  if ((status === 303 && method !== 'HEAD') || ((status === 301 || status === 302) && method === 'POST')) {
    method = 'GET';
    body = undefined;
    headers = without(headers, BODY_HEADERS);
  }
  // URL.origin compares scheme, host and port (default ports normalized), as the same-origin rule does.
  if (url.origin !== from.url.origin) {
    if (body !== undefined) return { error: `${status} redirect to another origin (${url.origin}) not followed: it would resend the request body there` };
    headers = {};
  }
  return { next: { url, method, headers, body } };
}

function without(headers: Record<string, string>, names: Set<string>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) if (!names.has(name.toLowerCase())) out[name] = value;
  return out;
}
