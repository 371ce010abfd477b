import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openTestApp, type TestApp } from '../helpers/app.js';
import { ENGINES } from '../helpers/stores.js';

const CONFIG = `
flags:
  - { key: new_checkout_flow, rollout: 25%, service: checkout, owner: web-team, description: "The new checkout" }
  - { key: dark_mode }
`;

describe.each(ENGINES)('flags API on %s', (engine) => {
  let t: TestApp;
  beforeEach(async () => {
    t = await openTestApp({ engine, config: CONFIG });
  });
  afterEach(async () => t?.close());

  const put = (key: string, payload: unknown, role: 'viewer' | 'responder' | 'admin' = 'responder') =>
    t.app.inject({ method: 'PUT', url: `/api/flags/${key}`, headers: t.as(role), payload: payload as object });
  const evaluate = async (key: string) =>
    (await t.app.inject({ method: 'POST', url: `/ofrep/v1/evaluate/flags/${key}`, headers: { 'x-api-key': t.tokens.viewer }, payload: { context: { targetingKey: 'u1' } } })).json();

  it('GET /api/flags: every flag with its state, rollout and last change', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/api/flags', headers: t.as('viewer') });
    expect(res.statusCode).toBe(200);
    const { flags } = res.json();
    expect(flags).toHaveLength(2);
    expect(flags[1]).toMatchObject({
      key: 'new_checkout_flow',
      description: 'The new checkout',
      type: 'boolean',
      service: 'checkout',
      owner: 'web-team',
      enabled: true,
      rollout: 0.25,
      version: 1,
      source: 'config',
      error: null,
      lastChange: { actor: 'config', reason: 'added in medic.yaml', before: null, after: { enabled: true, rollout: 0.25 } },
    });
  });

  it('PUT /api/flags/:key switches a flag off, served at once, and GET shows the change', async () => {
    const res = await put('new_checkout_flow', { enabled: false, reason: 'checkout 500s after deploy' });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ changed: true, flag: { enabled: false, rollout: 0.25, version: 2, source: 'api' } });
    expect(await evaluate('new_checkout_flow')).toMatchObject({ value: false, reason: 'DISABLED', metadata: { version: 2 } });

    const details = (await t.app.inject({ method: 'GET', url: '/api/flags/new_checkout_flow', headers: t.as('viewer') })).json();
    expect(details).toMatchObject({ enabled: false, configured: { enabled: true, rollout: 0.25 }, variants: { on: true, off: false }, defaultVariant: 'on', offVariant: 'off', rules: [] });
    expect(details.changes.map((c: { actor: string; reason: string }) => [c.actor, c.reason])).toEqual([
      ['r', 'checkout 500s after deploy'],
      ['config', 'added in medic.yaml'],
    ]);

    expect((await put('new_checkout_flow', { enabled: false, reason: 'again' })).json()).toMatchObject({ changed: false, flag: { version: 2 } });
  });

  it('PUT changes the rollout ("10%" or 0.1) and switches a flag back on', async () => {
    expect((await put('new_checkout_flow', { rollout: '10%', reason: 'slower' })).json().flag).toMatchObject({ enabled: true, rollout: 0.1 });
    expect((await put('new_checkout_flow', { enabled: false, reason: 'off' })).statusCode).toBe(200);
    expect((await put('new_checkout_flow', { enabled: true, rollout: 0.5, reason: 'on again' })).json().flag).toMatchObject({ enabled: true, rollout: 0.5, version: 4 });
  });

  it('PUT with incident_id counts as that incident\'s fix', async () => {
    const opened = await t.app.inject({
      method: 'POST',
      url: '/api/alerts/webhook',
      headers: t.as('responder'),
      payload: { name: 'CheckoutErrors', service: 'checkout', severity: 'critical' },
    });
    const id = opened.json().results[0].incidentId as number;
    t.clock.advance(120_000);
    expect((await put('new_checkout_flow', { enabled: false, reason: 'kill switch', incident_id: id })).statusCode).toBe(200);
    const incident = (await t.app.inject({ method: 'GET', url: `/api/incidents/${id}`, headers: t.as('viewer') })).json();
    expect(incident.incident).toMatchObject({ status: 'resolved', resolvedAt: t.clock.now() });
    expect(incident.timeline.find((e: { type: string }) => e.type === 'flag_changed')).toMatchObject({ actor: 'r', payload: { flag: 'new_checkout_flow', fix: true, incident_id: id, source: 'api' } });
    expect((await t.app.inject({ method: 'GET', url: '/api/flags', headers: t.as('viewer') })).json().flags[1].lastChange).toMatchObject({ incidentId: id });
  });

  it('answers 400 without a reason or a change, or with a bad rollout; 404 for an unknown flag or incident; 403 for a viewer', async () => {
    for (const body of [{ enabled: false }, { enabled: false, reason: '  ' }, { reason: 'nothing to change' }, { rollout: '150%', reason: 'x' }, { enabled: 'no', reason: 'x' }, { enabled: false, reason: 'x', extra: 1 }]) {
      const res = await put('new_checkout_flow', body);
      expect(res.statusCode, JSON.stringify(body)).toBe(400);
      expect(res.json()).toMatchObject({ error: 'Bad Request', message: expect.any(String) });
    }
    expect((await put('nope', { enabled: false, reason: 'x' })).json()).toEqual({ error: 'Not Found', message: 'no flag "nope"' });
    expect((await put('dark_mode', { enabled: false, reason: 'x', incident_id: 4242 })).json()).toEqual({ error: 'Not Found', message: 'no incident 4242' });
    expect((await put('dark_mode', { enabled: false, reason: 'x' }, 'viewer')).statusCode).toBe(403);
    expect((await t.app.inject({ method: 'GET', url: '/api/flags/nope', headers: t.as('viewer') })).statusCode).toBe(404);
    expect(await evaluate('dark_mode')).toMatchObject({ value: true });
  });
});
