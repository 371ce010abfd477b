import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { loadConfigText, type MedicConfig } from '../../src/config/index.js';
import { runCheck } from '../../src/detect/checks/index.js';
import { runStep } from '../../src/diagnose/steps/index.js';
import { buildNotificationMessage, sendNotification } from '../../src/notify/index.js';
import { executeAction } from '../../src/resolve/actions/index.js';
import { redirectRequest } from '../../src/shared/redirect.js';
import { checkContext } from '../helpers/monitors.js';
import { startRecordingServer, type RecordedRequest, type RecordingServer } from '../helpers/recording-server.js';
import { context as stepContext } from '../diagnose/helpers.js';
import { context as sendContext } from '../notify/sink.js';
import { actionContext } from '../resolve/helpers.js';

/**
 * A redirect to another origin must not carry what the config gave the first one. Two real servers on
 * 127.0.0.1, on two ports (two origins): the first answers with redirects, the second records every
 * header that reaches it. The secrets come from ${ENV}, as in a real medic.yaml.
 */

const ENV = {
  API_KEY: 'key-7f3a9c2e51d8',
  GITLAB_TOKEN: 'glpat-Zx81kQ04mRt2',
  BEARER: 'bearer-0b1c2d3e4f5a',
  SESSION: 'sess-9e8d7c6b5a4f',
  PASSWORD: 'pw-4d5e6f7a8b9c',
};
const SECRET_VALUES = Object.values(ENV);

let origin: RecordingServer;
let other: RecordingServer;

beforeAll(async () => {
  other = await startRecordingServer(() => ({ status: 200, body: { landed: true } }));
  origin = await startRecordingServer((req) => {
    const path = req.url.split('?')[0];
    if (path === '/to-other') return { status: 302, headers: { location: `${other.url}/landing` } };
    if (path === '/to-other-307') return { status: 307, headers: { location: `${other.url}/landing` } };
    if (path === '/to-same') return { status: 302, headers: { location: '/landing' } };
    if (path === '/login') return { status: 200, body: { token: 'journey-token-5c6d7e8f9a0b' } };
    return { status: 200, body: { landed: true } };
  });
});
afterAll(async () => {
  await Promise.all([origin.close(), other.close()]);
});
beforeEach(() => {
  origin.requests.length = 0;
  other.requests.length = 0;
});

function load(yaml: string): MedicConfig {
  return loadConfigText(yaml, { env: ENV }).config;
}

/** The configured headers, every credential, and every secret value: none of them may arrive. */
function expectNothingSecret(req: RecordedRequest): void {
  for (const name of ['x-api-key', 'private-token', 'authorization', 'cookie', 'x-team']) expect(req.headers[name], name).toBeUndefined();
  const all = JSON.stringify(req.headers) + req.body;
  for (const value of [...SECRET_VALUES, 'journey-token-5c6d7e8f9a0b', Buffer.from(`monitor:${ENV.PASSWORD}`).toString('base64')]) expect(all).not.toContain(value);
}

const HEADERS = `{ X-Api-Key: "\${API_KEY}", PRIVATE-TOKEN: "\${GITLAB_TOKEN}", Cookie: "session=\${SESSION}", X-Team: payments }`;

describe('an http monitor redirected', () => {
  it('to another port drops every configured header and the basic auth of its URL', async () => {
    const config = load(`
monitors:
  - name: api
    type: http
    url: "http://monitor:\${PASSWORD}@127.0.0.1:${origin.port}/to-other"
    headers: ${HEADERS}
    assert_status: 200
`);
    const outcome = await runCheck(config.monitors[0]!, checkContext());
    expect(outcome.status).toBe('up');
    expect(outcome.measurements.redirects).toBe(1);
    // The first origin got everything the config gave it…
    const first = origin.requests[0]!;
    expect(first.headers['x-api-key']).toBe(ENV.API_KEY);
    expect(first.headers['private-token']).toBe(ENV.GITLAB_TOKEN);
    expect(first.headers.authorization).toBe(`Basic ${Buffer.from(`monitor:${ENV.PASSWORD}`).toString('base64')}`);
    // …the other one none of it.
    expect(other.requests).toHaveLength(1);
    expectNothingSecret(other.requests[0]!);
    // What Medic adds of its own still goes: the trace continues on the other origin.
    expect(other.requests[0]!.headers.traceparent).toMatch(/^00-/);
    expect(other.requests[0]!.headers['user-agent']).toBe('medic-check/0.1');
  });

  it('within its origin keeps them', async () => {
    const config = load(`
monitors:
  - name: api
    type: http
    url: "http://127.0.0.1:${origin.port}/to-same"
    headers: { X-Api-Key: "\${API_KEY}", PRIVATE-TOKEN: "\${GITLAB_TOKEN}", Authorization: "Bearer \${BEARER}" }
`);
    const outcome = await runCheck(config.monitors[0]!, checkContext());
    expect(outcome.status).toBe('up');
    const landing = origin.requests.find((r) => r.url === '/landing')!;
    expect(landing.headers['x-api-key']).toBe(ENV.API_KEY);
    expect(landing.headers['private-token']).toBe(ENV.GITLAB_TOKEN);
    expect(landing.headers.authorization).toBe(`Bearer ${ENV.BEARER}`);
    expect(other.requests).toHaveLength(0);
  });

  it('with a 307 that would resend its body to another origin is not followed', async () => {
    const config = load(`
monitors:
  - name: api
    type: http
    method: POST
    url: "http://127.0.0.1:${origin.port}/to-other-307"
    body: { password: "\${PASSWORD}" }
`);
    const outcome = await runCheck(config.monitors[0]!, checkContext());
    expect(outcome.status).toBe('down');
    expect(outcome.error).toBe(`307 redirect to another origin (${other.url}) not followed: it would resend the request body there`);
    expect(other.requests).toHaveLength(0);
  });
});

describe('a journey redirected to another origin', () => {
  it("drops the step's configured headers and the bearer token from use_auth_from_step", async () => {
    const config = load(`
monitors:
  - name: checkout
    type: multi-step
    steps:
      - { name: login, url: "http://127.0.0.1:${origin.port}/login", method: POST, body: { password: "\${PASSWORD}" } }
      - name: dashboard
        url: "http://127.0.0.1:${origin.port}/to-other"
        use_auth_from_step: 1
        headers: ${HEADERS}
        assert_status: 200
`);
    const outcome = await runCheck(config.monitors[0]!, checkContext());
    expect(outcome.status).toBe('up');
    const sent = origin.requests.find((r) => r.url === '/to-other')!;
    expect(sent.headers.authorization).toBe('Bearer journey-token-5c6d7e8f9a0b');
    expect(sent.headers['x-api-key']).toBe(ENV.API_KEY);
    expect(other.requests).toHaveLength(1);
    expectNothingSecret(other.requests[0]!);
  });
});

describe('runbook steps, remediation webhooks and notification channels', () => {
  // They do not follow redirects at all (what a step shows is what its URL answered; a webhook URL that
  // redirects is a config error): nothing reaches the other origin.
  const config = () =>
    load(`
runbooks:
  - name: diag
    match: { service: api }
    steps:
      - { name: ask, http: "http://127.0.0.1:${origin.port}/to-other", headers: ${HEADERS} }
remediation:
  - alert: api-down
    action: { type: webhook, url: "http://127.0.0.1:${origin.port}/to-other", headers: ${HEADERS} }
notifications:
  - { name: hook, type: webhook, url: "http://127.0.0.1:${origin.port}/to-other", headers: ${HEADERS} }
`);

  it('send nothing to the origin a redirect names', async () => {
    const c = config();
    const step = await runStep(c.runbooks[0]!.steps[0]!, stepContext());
    expect(step.statusCode).toBe(302);
    const action = await executeAction(c.remediation[0]!.action, actionContext());
    expect(action.details).toEqual({ statusCode: 302 });
    const message = buildNotificationMessage({ event: 'opened', incident: { id: 1, title: 't', service: 'api', severity: 'P1', status: 'open', labels: {}, started_at: 0, detected_at: 0 }, idempotencyKey: 'k' });
    const sent = await sendNotification(c.notifications[0]!, message, sendContext());
    expect(sent.outcome).toBe('permanent');
    expect(origin.requests).toHaveLength(3);
    expect(other.requests).toHaveLength(0);
  });
});

describe('the redirect policy', () => {
  const from = (url: string) => ({ url: new URL(url), method: 'GET', headers: { 'X-Api-Key': 'k', authorization: 'Bearer t' }, body: undefined });
  const headersAfter = (url: string, location: string) => {
    const d = redirectRequest(from(url), 302, location);
    if ('error' in d) throw new Error(d.error);
    return d.next.headers;
  };

  it('counts scheme, host and port as the origin, with default ports made explicit or not', () => {
    const kept = { 'X-Api-Key': 'k', authorization: 'Bearer t' };
    expect(headersAfter('https://api.example/a', '/b')).toEqual(kept);
    expect(headersAfter('https://api.example/a', 'https://api.example:443/b')).toEqual(kept);
    expect(headersAfter('http://api.example/a', 'http://api.example:80/b')).toEqual(kept);
    expect(headersAfter('https://api.example/a', 'http://api.example/b')).toEqual({});
    expect(headersAfter('https://api.example/a', 'https://evil.example/b')).toEqual({});
    expect(headersAfter('https://api.example/a', 'https://sub.api.example/b')).toEqual({});
    expect(headersAfter('https://api.example/a', 'https://api.example:8443/b')).toEqual({});
    expect(headersAfter('https://api.example/a', '//evil.example/b')).toEqual({});
  });

  it('refuses what is not an HTTP URL', () => {
    expect(redirectRequest(from('https://api.example/a'), 302, 'javascript:alert(1)')).toEqual({ error: 'redirect to a non-HTTP URL "javascript:alert(1)"' });
    expect(redirectRequest(from('https://api.example/a'), 302, 'http://[::1')).toEqual({ error: 'redirect to an invalid URL "http://[::1"' });
  });
});
