import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfigFile, type MultiStepMonitorConfig } from '../../../src/config/index.js';
import { formatOutcome, runCheck } from '../../../src/detect/checks/index.js';
import { json, startHttpTarget, type HttpTarget } from '../../helpers/http-target.js';
import { checkContext, parseMonitor } from '../../helpers/monitors.js';

const ARTICLE = path.join(path.dirname(fileURLToPath(import.meta.url)), '../../config/fixtures/article.yaml');
const PASSWORD = 'correct horse battery staple';
const TOKEN = 'tok-8f14e45fceea167a5a36dedd4bea2543';

let target: HttpTarget;
let tokenless = false;

beforeAll(async () => {
  target = await startHttpTarget({
    '/login': (_req, res) => res.writeHead(200, { 'content-type': 'text/html' }).end('<form action="/api/auth/login">Sign in</form>'),
    '/api/auth/login': (req, res, body) => {
      let creds: { email?: string; password?: string } = {};
      try {
        if (req.headers['content-type'] === 'application/json') creds = JSON.parse(body) as typeof creds;
      } catch {}
      if (req.method !== 'POST' || creds.email !== 'monitor@example.com' || creds.password !== PASSWORD) return json(res, 401, { error: 'bad credentials' });
      json(res, 200, tokenless ? { ok: true } : { token: TOKEN, data: { access_token: 'nested-token' } });
    },
    '/api/dashboard': (req, res) => {
      if (req.headers.authorization !== `Bearer ${TOKEN}`) return json(res, 401, { error: 'unauthorized' });
      json(res, 200, { widgets: 3 });
    },
    '/api/nested-dashboard': (req, res) => json(res, req.headers.authorization === 'Bearer nested-token' ? 200 : 401, {}),
    '/api/orders': (_req, res) => json(res, 201, { id: 42, customer: { name: 'Ada' } }),
    '/api/orders/42': (req, res, body) => json(res, 200, { id: 42, ref: req.headers['x-order'], body }),
  });
});

afterAll(() => target.close());

/** The seed article's journey as written, with app.example.com pointed at the local target. */
function articleJourney(): MultiStepMonitorConfig {
  const { config } = loadConfigFile(ARTICLE, { env: { MONITOR_PASSWORD: PASSWORD } });
  const journey = config.monitors.find((m) => m.name === 'User Login Flow');
  if (journey?.type !== 'multi-step') throw new Error('the fixture has no User Login Flow journey');
  return { ...journey, steps: journey.steps.map((s) => ({ ...s, url: s.url.replace('https://app.example.com', target.origin) })) };
}

describe('the seed article’s "User Login Flow"', () => {
  it('runs as written: login page, credentials, dashboard with the bearer token from step 2', async () => {
    const journey = articleJourney();
    const before = target.requests.length;
    const outcome = await runCheck(journey, checkContext());
    expect(outcome.error).toBeUndefined();
    expect(outcome.status).toBe('up');
    expect(outcome.steps?.map((s) => [s.name, s.status, s.statusCode])).toEqual([
      ['Load login page', 'up', 200],
      ['Submit credentials', 'up', 200],
      ['Access dashboard', 'up', 200],
    ]);
    const seen = target.requests.slice(before);
    expect(seen.map((r) => `${r.method} ${r.path}`)).toEqual(['GET /login', 'POST /api/auth/login', 'GET /api/dashboard']);
    expect(seen[2]!.headers.authorization).toBe(`Bearer ${TOKEN}`);
    // One journey, one trace: every step carries the outcome's trace id.
    for (const r of seen) expect(String(r.headers.traceparent)).toMatch(new RegExp(`^00-${outcome.traceId}-[0-9a-f]{16}-01$`));
    expect(outcome.assertions.map((a) => [a.step, a.name, a.pass])).toEqual([
      [1, 'status', true],
      [1, 'load_time', true],
      [2, 'status', true],
      [2, 'json_path $.token', true],
      [3, 'status', true],
    ]);
    // The token is a live credential: it never appears in the result.
    expect(JSON.stringify(outcome)).not.toContain(TOKEN);
    expect(outcome.measurements).toMatchObject({ steps_passed: 3, step_1_status_code: 200, step_3_status_code: 200 });
    expect(outcome.timings.total_ms).toBeGreaterThanOrEqual(outcome.steps![0]!.timings.total_ms);
  });

  it('stops at step 2 when the login returns no token', async () => {
    tokenless = true;
    try {
      const before = target.requests.length;
      const outcome = await runCheck(articleJourney(), checkContext());
      expect(outcome.status).toBe('down');
      expect(outcome.error).toBe('step 2 ("Submit credentials"): json_path $.token: expected a match, got no match');
      expect(outcome.steps).toHaveLength(2);
      expect(target.requests.slice(before).map((r) => r.path)).toEqual(['/login', '/api/auth/login']);
    } finally {
      tokenless = false;
    }
  });

  it('formats each step with its timings and assertions', async () => {
    const journey = articleJourney();
    tokenless = true;
    const outcome = await runCheck(journey, checkContext()).finally(() => (tokenless = false));
    const text = formatOutcome(journey, outcome);
    expect(text).toContain('✗ DOWN User Login Flow (multi-step) — step 2 ("Submit credentials")');
    expect(text).toMatch(/1\. Load login page — UP 200 http:\/\/127\.0\.0\.1:\d+\/login\n\s+connect [\d.]+ ms · first byte [\d.]+ ms · total [\d.]+ ms/);
    expect(text).toContain('✓ status: expected 200, got 200');
    expect(text).toContain('✗ json_path $.token: expected a match, got no match');
    expect(text).toContain('3. Access dashboard — not run');
  });
});

describe('use_auth_from_step', () => {
  const journey = (steps: Record<string, unknown>[]) => parseMonitor('multi-step', { steps });
  const login = () => ({ name: 'Login', url: target.url('/api/auth/login'), method: 'POST', body: { email: 'monitor@example.com', password: PASSWORD } });

  it('fails the step with a clear error when the earlier step’s body has no token', async () => {
    tokenless = true;
    try {
      const before = target.requests.length;
      const outcome = await runCheck(journey([login(), { name: 'Dashboard', url: target.url('/api/dashboard'), use_auth_from_step: 1 }]), checkContext());
      expect(outcome.status).toBe('down');
      expect(outcome.steps![1]).toMatchObject({ name: 'Dashboard', status: 'down', error: 'no token at $.token in the response of step 1 ("Login")' });
      expect(outcome.error).toBe('step 2 ("Dashboard"): no token at $.token in the response of step 1 ("Login")');
      // The step without its token is never sent.
      expect(target.requests.slice(before).map((r) => r.path)).toEqual(['/api/auth/login']);
    } finally {
      tokenless = false;
    }
  });

  it('reads the token at auth_json_path', async () => {
    const outcome = await runCheck(journey([login(), { url: target.url('/api/nested-dashboard'), use_auth_from_step: 1, auth_json_path: '$.data.access_token', assert_status: 200 }]), checkContext());
    expect(outcome.status).toBe('up');
  });

  it('refuses a step that is not an earlier one', async () => {
    const outcome = await runCheck(journey([{ name: 'Dashboard', url: target.url('/api/dashboard'), use_auth_from_step: 2 }, login()]), checkContext());
    expect(outcome.error).toBe('step 1 ("Dashboard"): use_auth_from_step: 2 must name an earlier step (this is step 1)');
  });

  it('explains a step whose body was not JSON', async () => {
    const outcome = await runCheck(journey([{ name: 'Page', url: target.url('/login') }, { url: target.url('/api/dashboard'), use_auth_from_step: 1 }]), checkContext());
    expect(outcome.steps![1]!.error).toMatch(/^no token for use_auth_from_step: step 1 \("Page"\) did not return JSON \(response is not JSON: /);
  });
});

describe('extract and {{name}}', () => {
  it('passes extracted values into later URLs, headers and bodies', async () => {
    const m = parseMonitor('multi-step', {
      steps: [
        { name: 'Create order', url: target.url('/api/orders'), method: 'POST', body: { sku: 'A1' }, assert_status: 201, extract: { order_id: '$.id', customer: '$.customer.name' } },
        {
          name: 'Read order',
          url: target.url('/api/orders/{{order_id}}'),
          method: 'POST',
          headers: { 'X-Order': 'order-{{ order_id }}' },
          body: { note: 'for {{customer}}', id: '{{order_id}}' },
          assert_json_path: [{ path: '$.ref', equals: 'order-42' }],
        },
      ],
    });
    const outcome = await runCheck(m, checkContext());
    expect(outcome.status).toBe('up');
    const seen = target.seen('/api/orders/42').at(-1)!;
    expect(seen.headers['x-order']).toBe('order-42');
    expect(JSON.parse(seen.body)).toEqual({ note: 'for Ada', id: '42' });
    expect(outcome.steps![0]!.assertions.filter((a) => a.name.startsWith('extract'))).toEqual([
      { name: 'extract order_id', pass: true, expected: 'a value at $.id', actual: '42', step: 1 },
      { name: 'extract customer', pass: true, expected: 'a value at $.customer.name', actual: 'Ada', step: 1 },
    ]);
  });

  it('fails the step when an extract matches nothing', async () => {
    const m = parseMonitor('multi-step', {
      steps: [
        { name: 'Create order', url: target.url('/api/orders'), method: 'POST', extract: { order_id: '$.order.id' } },
        { url: target.url('/api/orders/{{order_id}}') },
      ],
    });
    const outcome = await runCheck(m, checkContext());
    expect(outcome.status).toBe('down');
    expect(outcome.error).toBe('step 1 ("Create order"): extract order_id: a value at $.order.id not found (no match)');
    expect(outcome.steps).toHaveLength(1);
  });

  it('fails the step that uses a variable no step extracted', async () => {
    const m = parseMonitor('multi-step', { steps: [{ url: target.url('/login') }, { name: 'Order', url: target.url('/api/orders/{{order_id}}') }] });
    const outcome = await runCheck(m, checkContext());
    expect(outcome.error).toBe('step 2 ("Order"): unknown variable {{order_id}} (no earlier step extracted any value)');
  });
});

describe('journey timeouts', () => {
  it('a step’s own timeout ends that step', async () => {
    const slow = await startHttpTarget({ '/hang': () => {} });
    try {
      const m = parseMonitor('multi-step', { timeout: '10s', steps: [{ name: 'Hang', url: slow.url('/hang'), timeout: '200ms' }] });
      const outcome = await runCheck(m, checkContext());
      expect(outcome.error).toBe('step 1 ("Hang"): timeout after 200 ms');
      expect(outcome.networkError).toBe(true);
    } finally {
      await slow.close();
    }
  });

  it('the monitor’s timeout bounds the whole journey', async () => {
    const slow = await startHttpTarget({ '/hang': () => {} });
    try {
      const m = parseMonitor('multi-step', { timeout: '1s', steps: [{ url: target.url('/login') }, { name: 'Hang', url: slow.url('/hang') }] });
      const outcome = await runCheck(m, checkContext());
      expect(outcome.steps?.map((s) => s.status)).toEqual(['up', 'down']);
      expect(outcome.error).toBe('step 2 ("Hang"): timeout after 1000 ms');
    } finally {
      await slow.close();
    }
  });
});
