import type { HttpMonitorConfig } from '../../config/index.js';
import type { HttpRequestSpec } from './http-client.js';
import { renderDeep, renderTemplate, type Variables } from './template.js';

/** The request fields an `http` monitor and a journey step share. */
export type HttpRequestFields = Pick<HttpMonitorConfig, 'url' | 'method' | 'headers' | 'query' | 'body' | 'follow_redirects' | 'max_redirects' | 'verify_tls'>;

const NO_VARS: Variables = new Map();

/**
 * Turns config into what goes on the wire: `{{name}}` filled in (journeys), `query` appended to the URL,
 * and the body serialized. An object body is sent as JSON; a string body is sent as written, and marked
 * JSON when it is JSON and no content-type was configured, so a body written as a JSON string (as in the
 * seed example's login step) reaches an API that only parses application/json. Throws TemplateError.
 */
export function buildRequest(fields: HttpRequestFields, traceId: string, vars: Variables = NO_VARS): HttpRequestSpec {
  let url = renderTemplate(fields.url, vars);
  const headers: Record<string, string> = {};
  let hasContentType = false;
  let hasAuthorization = false;
  for (const [name, value] of Object.entries(fields.headers)) {
    headers[name] = renderTemplate(value, vars);
    const lower = name.toLowerCase();
    if (lower === 'content-type') hasContentType = true;
    if (lower === 'authorization') hasAuthorization = true;
  }
  const query = Object.entries(fields.query);
  // Parsing is skipped for the common URL that has neither query fields nor credentials in it.
  if (query.length > 0 || url.includes('@')) {
    const parsed = new URL(url);
    for (const [name, value] of query) parsed.searchParams.append(name, renderTemplate(value, vars));
    // https://user:pass@host/ — HTTP clients send userinfo as Basic auth; undici would silently drop it.
    if (parsed.username || parsed.password) {
      if (!hasAuthorization) {
        const credentials = `${decodeURIComponent(parsed.username)}:${decodeURIComponent(parsed.password)}`;
        headers.authorization = `Basic ${Buffer.from(credentials).toString('base64')}`;
      }
      parsed.username = '';
      parsed.password = '';
    }
    url = parsed.href;
  }
  let body: string | undefined;
  if (typeof fields.body === 'string') {
    body = renderTemplate(fields.body, vars);
    if (!hasContentType && looksLikeJson(body)) headers['content-type'] = 'application/json';
  } else if (fields.body !== undefined) {
    body = JSON.stringify(renderDeep(fields.body, vars));
    if (!hasContentType) headers['content-type'] = 'application/json';
  }
  const spec: HttpRequestSpec = {
    url,
    method: fields.method,
    headers,
    followRedirects: fields.follow_redirects,
    maxRedirects: fields.max_redirects,
    verifyTls: fields.verify_tls,
    traceId,
  };
  if (body !== undefined) spec.body = body;
  return spec;
}

function looksLikeJson(text: string): boolean {
  const first = text.trimStart()[0];
  if (first !== '{' && first !== '[') return false;
  try {
    JSON.parse(text);
    return true;
  } catch {
    return false;
  }
}
