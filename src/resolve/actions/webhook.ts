import { OutboundError, sendRequest } from '../../shared/http.js';
import { REDACTION_SLACK } from '../../shared/output.js';
import { ACTION_MAX_OUTPUT, type ActionContext, type ActionExecutor, type ActionOfType } from './action.js';

/**
 * `webhook` — an HTTP request to another system (a deploy pipeline, a chat-ops bot). OK on 2xx.
 *
 * The URL is sent exactly as configured: alert data is never put into it. Without a `body`, the
 * incident goes as JSON data (`{"incident": {...}}`); a configured body is sent as is, an object as JSON.
 */

/** The JSON sent when the action has no body of its own. */
export function incidentPayload(incident: ActionContext['incident']): Record<string, unknown> {
  return {
    incident: {
      id: incident.id,
      service: incident.service,
      alert_name: incident.alertName,
      severity: incident.severity,
      labels: incident.labels,
    },
  };
}

function hasHeader(headers: Record<string, string>, name: string): boolean {
  return Object.keys(headers).some((h) => h.toLowerCase() === name);
}

/** The body and its content type. A string that parses as JSON is labelled JSON. */
export function webhookBody(action: ActionOfType<'webhook'>, incident: ActionContext['incident']): { body: string; contentType: string } {
  if (action.body === undefined) return { body: JSON.stringify(incidentPayload(incident)), contentType: 'application/json' };
  if (typeof action.body !== 'string') return { body: JSON.stringify(action.body), contentType: 'application/json' };
  let json = false;
  try {
    JSON.parse(action.body);
    json = true;
  } catch {}
  return { body: action.body, contentType: json ? 'application/json' : 'text/plain; charset=utf-8' };
}

export const webhookExecutor: ActionExecutor<'webhook'> = {
  type: 'webhook',
  async execute(action, ctx) {
    const started = performance.now();
    const method = action.method.toUpperCase();
    const { body, contentType } = webhookBody(action, ctx.incident);
    const headers = { ...(hasHeader(action.headers, 'content-type') ? {} : { 'content-type': contentType }), ...action.headers };
    let res;
    try {
      res = await sendRequest({
        url: action.url,
        method,
        headers,
        ...(method === 'GET' || method === 'HEAD' ? {} : { body }),
        signal: ctx.signal,
        timeoutMs: ctx.timeoutMs,
        keepBytes: ACTION_MAX_OUTPUT + REDACTION_SLACK,
      });
    } catch (err) {
      throw new Error(`${method} ${action.url}: ${err instanceof OutboundError ? err.message : String(err)}`, { cause: err });
    }
    const { text } = res.body.finish(ACTION_MAX_OUTPUT, ctx.redactor);
    const ok = res.statusCode >= 200 && res.statusCode < 300;
    return {
      ok,
      output: text,
      ...(ok ? {} : { error: `${method} ${action.url} answered HTTP ${res.statusCode}` }),
      durationMs: performance.now() - started,
      details: { statusCode: res.statusCode },
    };
  },
  describe(action) {
    const what = action.body === undefined ? 'the incident as JSON' : typeof action.body === 'string' ? `a ${Buffer.byteLength(action.body)}-byte body` : 'a JSON body';
    return `${action.method.toUpperCase()} ${action.url} with ${what}`;
  },
};
