import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { Redactor, REMEDIATION_ACTION_TYPES } from '../../src/config/index.js';
import { ACTION_EXECUTORS, describeAction, executeAction } from '../../src/resolve/actions/index.js';
import type { ActionExecutor } from '../../src/resolve/actions/action.js';
import { closedPort, startRecordingServer, type RecordingServer } from '../helpers/recording-server.js';
import { action, actionContext, INCIDENT, MemoryFlags } from './helpers.js';

describe('webhook action', () => {
  let server: RecordingServer;
  beforeAll(async () => {
    server = await startRecordingServer();
  });
  afterAll(() => server.close());
  beforeEach(() => {
    server.requests.length = 0;
    server.setHandler(() => ({ status: 200, body: { accepted: true } }));
  });

  it('POSTs the incident as JSON data by default, to the URL exactly as configured', async () => {
    const incident = { ...INCIDENT, service: 'pay ment/../x?y=1&z', labels: { pod: 'a b&c=d' } };
    const out = await executeAction(action({ type: 'webhook', url: `${server.url}/hooks/restart?team=payments` }), actionContext({ incident }));
    expect(out).toMatchObject({ ok: true, output: '{"accepted":true}', details: { statusCode: 200 } });
    expect(server.requests).toHaveLength(1);
    const req = server.requests[0]!;
    expect(req.method).toBe('POST');
    expect(req.url).toBe('/hooks/restart?team=payments');
    expect(req.headers['content-type']).toBe('application/json');
    expect(JSON.parse(req.body)).toEqual({
      incident: { id: 42, service: 'pay ment/../x?y=1&z', alert_name: 'payment-service-pod-crashlooping', severity: 'P1', labels: { pod: 'a b&c=d' } },
    });
  });

  it('sends a configured object body as JSON with the configured method and headers', async () => {
    const out = await executeAction(
      action({ type: 'webhook', url: `${server.url}/dispatch`, method: 'put', headers: { Authorization: 'Bearer hook-token', 'X-Count': 3 }, body: { event_type: 'rollback', n: 1 } }),
      actionContext(),
    );
    expect(out.ok).toBe(true);
    const req = server.requests[0]!;
    expect(req.method).toBe('PUT');
    expect(req.headers.authorization).toBe('Bearer hook-token');
    expect(req.headers['x-count']).toBe('3');
    expect(req.headers['content-type']).toBe('application/json');
    expect(req.body).toBe('{"event_type":"rollback","n":1}');
  });

  it('sends a string body as is, labelled by what it is unless a content type is configured', async () => {
    await executeAction(action({ type: 'webhook', url: `${server.url}/a`, body: 'restart please' }), actionContext());
    await executeAction(action({ type: 'webhook', url: `${server.url}/b`, body: '{"restart":true}' }), actionContext());
    await executeAction(action({ type: 'webhook', url: `${server.url}/c`, body: 'a=1&b=2', headers: { 'Content-Type': 'application/x-www-form-urlencoded' } }), actionContext());
    expect(server.requests.map((r) => [r.url, r.headers['content-type'], r.body])).toEqual([
      ['/a', 'text/plain; charset=utf-8', 'restart please'],
      ['/b', 'application/json', '{"restart":true}'],
      ['/c', 'application/x-www-form-urlencoded', 'a=1&b=2'],
    ]);
  });

  it('fails on a non-2xx answer and shows it', async () => {
    server.setHandler(() => ({ status: 502, body: 'bad gateway' }));
    const out = await executeAction(action({ type: 'webhook', url: `${server.url}/hook` }), actionContext());
    expect(out).toMatchObject({ ok: false, output: 'bad gateway', error: `POST ${server.url}/hook answered HTTP 502`, details: { statusCode: 502 } });
  });

  it('fails when nothing listens, and when the receiver never answers within the timeout', async () => {
    const port = await closedPort();
    const refused = await executeAction(action({ type: 'webhook', url: `http://127.0.0.1:${port}/hook` }), actionContext());
    expect(refused.ok).toBe(false);
    expect(refused.error).toMatch(/ECONNREFUSED/);

    server.setHandler(() => 'hang');
    const slow = await executeAction(action({ type: 'webhook', url: `${server.url}/slow` }), actionContext({ timeoutMs: 300 }));
    expect(slow).toMatchObject({ ok: false, error: 'timed out after 300ms' });
  });

  it('redacts secrets in the URL and the answer', async () => {
    const secret = 'T0KEN-in-the-url';
    server.setHandler(() => ({ status: 500, body: `invalid token ${secret}` }));
    const a = action({ type: 'webhook', url: `${server.url}/hooks/${secret}` });
    const ctx = actionContext({ redactor: new Redactor([secret]) });
    const out = await executeAction(a, ctx);
    expect(out.output).toBe('invalid token [REDACTED]');
    expect(out.error).toBe(`POST ${server.url}/hooks/[REDACTED] answered HTTP 500`);
    expect(describeAction(a, ctx)).toBe(`POST ${server.url}/hooks/[REDACTED] with the incident as JSON`);
  });
});

describe('flag actions', () => {
  it('disable_flag turns the flag off through the FlagSwitch, recording who and why', async () => {
    const flags = new MemoryFlags({ new_checkout_flow: true });
    const out = await executeAction(action({ type: 'disable_flag', flag: 'new_checkout_flow' }), actionContext({ flags, actor: 'checkout-errors' }));
    expect(out).toMatchObject({ ok: true, output: 'flag new_checkout_flow disabled', details: { flag: 'new_checkout_flow', enabled: false, changed: true } });
    expect(flags.state.new_checkout_flow).toBe(false);
    expect(flags.calls).toEqual([
      {
        key: 'new_checkout_flow',
        enabled: false,
        change: { actor: 'checkout-errors', reason: 'remediation of incident #42 (payment-service-pod-crashlooping)', incidentId: 42 },
      },
    ]);
  });

  it('enable_flag turns it on; a flag already in that state is no change', async () => {
    const flags = new MemoryFlags({ safe_mode: false });
    const first = await executeAction(action({ type: 'enable_flag', flag: 'safe_mode' }), actionContext({ flags }));
    const again = await executeAction(action({ type: 'enable_flag', flag: 'safe_mode' }), actionContext({ flags }));
    expect(first).toMatchObject({ ok: true, output: 'flag safe_mode enabled', details: { changed: true } });
    expect(again).toMatchObject({ ok: true, output: 'flag safe_mode was already enabled', details: { changed: false } });
    expect(flags.calls.map((c) => [c.key, c.enabled, c.change.actor])).toEqual([
      ['safe_mode', true, 'system'],
      ['safe_mode', true, 'system'],
    ]);
  });

  it('fails with the flag service’s reason', async () => {
    const out = await executeAction(action({ type: 'disable_flag', flag: 'ghost_flag' }), actionContext({ flags: new MemoryFlags() }));
    expect(out).toMatchObject({ ok: false, error: 'no flag "ghost_flag"' });
  });

  it('describes them', () => {
    const ctx = { ...actionContext(), redactor: new Redactor() };
    expect(describeAction(action({ type: 'disable_flag', flag: 'new_checkout_flow' }), ctx)).toBe('disable feature flag new_checkout_flow');
    expect(describeAction(action({ type: 'enable_flag', flag: 'safe_mode' }), ctx)).toBe('enable feature flag safe_mode');
  });
});

describe('action registry', () => {
  it('has an executor for every action type of the config schema', () => {
    expect(Object.keys(ACTION_EXECUTORS).sort()).toEqual([...REMEDIATION_ACTION_TYPES].sort());
    for (const [type, executor] of Object.entries(ACTION_EXECUTORS)) expect(executor.type).toBe(type);
  });

  it('never throws: unknown types and executors that ignore the deadline become failed outcomes', async () => {
    const unknown = await executeAction({ type: 'reboot_datacenter' } as never, actionContext());
    expect(unknown).toMatchObject({ ok: false, error: 'unknown remediation action type "reboot_datacenter"' });
    expect(describeAction({ type: 'reboot_datacenter' } as never, { ...actionContext(), redactor: new Redactor() })).toMatch(/cannot describe/);

    // A FlagSwitch that never answers: the caller is not held past the deadline (plus the stop grace).
    const stuck = { setEnabled: () => new Promise<{ changed: boolean }>(() => undefined) };
    const out = await executeAction(action({ type: 'disable_flag', flag: 'x' }), actionContext({ flags: stuck, timeoutMs: 200 }));
    expect(out).toMatchObject({ ok: false, error: 'timed out after 200ms', output: '' });
  });

  it('an executor that throws is a failed outcome, redacted', async () => {
    const secret = 'flag-service-password';
    const throwing = { setEnabled: () => Promise.reject(new Error(`auth failed for ${secret}`)) };
    const out = await executeAction(action({ type: 'enable_flag', flag: 'x' }), actionContext({ flags: throwing, redactor: new Redactor([secret]) }));
    expect(out).toMatchObject({ ok: false, error: 'auth failed for [REDACTED]' });
    const executor: ActionExecutor<'enable_flag'> = ACTION_EXECUTORS.enable_flag;
    expect(executor.type).toBe('enable_flag');
  });
});
