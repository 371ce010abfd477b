import { readFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ENGINES } from '../helpers/stores.js';
import { openTestApp, type TestApp } from '../helpers/app.js';

const fixtures = path.resolve(import.meta.dirname, '../detect/ingest/fixtures/alertmanager');
const firing = JSON.parse(readFileSync(path.join(fixtures, 'firing.json'), 'utf8'));
const resolved = JSON.parse(readFileSync(path.join(fixtures, 'resolved.json'), 'utf8'));

async function counts(t: TestApp) {
  const n = async (table: 'alerts' | 'incidents' | 'incident_events') => Number((await t.rt.store.db.selectFrom(table).select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow()).n);
  return { alerts: await n('alerts'), incidents: await n('incidents'), events: await n('incident_events') };
}

describe.each(ENGINES)('alert ingest endpoints on %s', (engine) => {
  let t: TestApp;
  beforeEach(async () => {
    t = await openTestApp({ engine });
  });
  afterEach(async () => t?.close());

  const post = (url: string, payload: unknown, headers: Record<string, string> = t.as('responder')) =>
    t.app.inject({ method: 'POST', url, headers, payload: payload as object });

  it('Alertmanager: firing opens an incident with started_at from startsAt, resolved resolves it', async () => {
    const res = await post('/api/alerts/alertmanager', firing);
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ received: 1, truncatedAlerts: 0, groupKey: firing.groupKey, results: [{ fingerprint: '45eb7d755efe749d', outcome: 'opened' }] });
    const id = res.json().results[0].incidentId as number;
    const detail = (await t.app.inject({ method: 'GET', url: `/api/incidents/${id}`, headers: t.as('viewer') })).json();
    expect(detail.incident).toMatchObject({
      status: 'open',
      service: 'payment-service',
      severity: 'P1',
      alertName: 'PaymentErrorRate',
      title: 'payment_error_rate > 5% for 5 minutes',
      startedAt: Date.parse('2026-11-26T17:38:31Z'),
      detectedAt: t.clock.now(),
    });
    expect(detail.alerts[0]).toMatchObject({ generatorUrl: 'http://prometheus.example:9090/graph?g0.expr=x', fingerprint: '45eb7d755efe749d' });

    const done = await post('/api/alerts/alertmanager', resolved);
    expect(done.json().results[0]).toMatchObject({ outcome: 'resolved', incidentId: id });
    const after = (await t.app.inject({ method: 'GET', url: `/api/incidents/${id}`, headers: t.as('viewer') })).json();
    expect(after.incident).toMatchObject({ status: 'resolved', resolvedAt: t.clock.now() });
  });

  it('Alertmanager: a bad payload is a 400 naming the field, and stores nothing', async () => {
    for (const bad of [
      { ...firing, version: '3' },
      { ...firing, alerts: [{ ...firing.alerts[0], startsAt: 'yesterday' }] },
      { ...firing, alerts: [{ ...firing.alerts[0], labels: { service: 'x' } }] },
      { ...firing, alerts: [firing.alerts[0], { ...firing.alerts[0], fingerprint: 42 }] },
      { alerts: 'nope' },
      [],
    ]) {
      const res = await post('/api/alerts/alertmanager', bad);
      expect(res.statusCode, JSON.stringify(bad).slice(0, 80)).toBe(400);
      expect(res.json().error).toBe('Bad Request');
      expect(res.json().issues.length).toBeGreaterThan(0);
    }
    const fp = await post('/api/alerts/alertmanager', { ...firing, alerts: [{ ...firing.alerts[0], startsAt: 'yesterday' }] });
    expect(fp.json().message).toMatch(/alerts\[0\]\.startsAt/);
    expect(await counts(t)).toEqual({ alerts: 0, incidents: 0, events: 0 });
  });

  it('rejects bodies that are not JSON or too large, storing nothing', async () => {
    const notJson = await t.app.inject({ method: 'POST', url: '/api/alerts/webhook', headers: { ...t.as('responder'), 'content-type': 'application/json' }, payload: '{"name": ' });
    expect(notJson.statusCode).toBe(400);
    const text = await t.app.inject({ method: 'POST', url: '/api/alerts/webhook', headers: { ...t.as('responder'), 'content-type': 'text/plain' }, payload: 'name=x' });
    expect(text.statusCode).toBe(400);
    const huge = await post('/api/alerts/webhook', { name: 'x', description: 'a'.repeat(2 * 1024 * 1024) });
    expect(huge.statusCode).toBe(413);
    expect(await counts(t)).toEqual({ alerts: 0, incidents: 0, events: 0 });
  });

  it('generic webhook: one object or an array, severities mapped, bad input a 400', async () => {
    const one = await post('/api/alerts/webhook', { name: 'CheckoutErrors', service: 'checkout', severity: 'critical', labels: { region: 'eu' }, started_at: '2026-11-27T11:58:00+01:00' });
    expect(one.statusCode).toBe(200);
    const id = one.json().results[0].incidentId;
    const detail = (await t.app.inject({ method: 'GET', url: `/api/incidents/${id}`, headers: t.as('viewer') })).json();
    expect(detail.incident).toMatchObject({ severity: 'P1', service: 'checkout', startedAt: Date.parse('2026-11-27T10:58:00Z') });

    const many = await post('/api/alerts/webhook', [{ name: 'A', service: 'svc' }, { name: 'B', service: 'svc', status: 'resolved' }]);
    expect(many.json().received).toBe(2);

    const bad = await post('/api/alerts/webhook', { name: 'x', severity: 'apocalyptic' });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().message).toMatch(/severity/);
    const typo = await post('/api/alerts/webhook', { name: 'x', servise: 'y' });
    expect(typo.statusCode).toBe(400);
    expect(typo.json().message).toMatch(/did you mean "service"/);
    const missing = await post('/api/alerts/webhook', { service: 'y' });
    expect(missing.statusCode).toBe(400);
    expect(missing.json().message).toMatch(/name/);
  });

  it('PagerDuty Events v2: trigger, acknowledge, resolve by dedup_key', async () => {
    const trigger = await post('/api/alerts/pagerduty/v2/enqueue', {
      routing_key: 'abc', event_action: 'trigger', dedup_key: 'disk-1', payload: { summary: 'Disk full on db-1', source: 'database', severity: 'error' },
    });
    expect(trigger.statusCode).toBe(202);
    expect(trigger.json()).toEqual({ status: 'success', message: 'Event processed', dedup_key: 'disk-1' });
    await post('/api/alerts/pagerduty/v2/enqueue', { routing_key: 'abc', event_action: 'acknowledge', dedup_key: 'disk-1' });
    await post('/api/alerts/pagerduty/v2/enqueue', { routing_key: 'abc', event_action: 'resolve', dedup_key: 'disk-1' });
    const list = (await t.app.inject({ method: 'GET', url: '/api/incidents', headers: t.as('viewer') })).json();
    expect(list.incidents).toHaveLength(1);
    expect(list.incidents[0]).toMatchObject({ service: 'database', severity: 'P2', status: 'resolved' });
    expect(list.incidents[0].acknowledgedAt).not.toBeNull();

    const bad = await post('/api/alerts/pagerduty/v2/enqueue', { routing_key: 'abc', event_action: 'explode' });
    expect(bad.statusCode).toBe(400);
    expect(bad.json()).toMatchObject({ status: 'invalid event', errors: [expect.stringMatching(/event_action/)] });
  });

  it('needs a responder token; accepts ?token= for tools that cannot set headers', async () => {
    expect((await post('/api/alerts/webhook', { name: 'x' }, {})).statusCode).toBe(401);
    expect((await post('/api/alerts/webhook', { name: 'x' }, t.as('viewer'))).statusCode).toBe(403);
    const q = await t.app.inject({ method: 'POST', url: `/api/alerts/webhook?token=${t.tokens.responder}`, payload: { name: 'x' } });
    expect(q.statusCode).toBe(200);
  });
});

describe('incident and silence endpoints', () => {
  let t: TestApp;
  beforeEach(async () => {
    t = await openTestApp();
  });
  afterEach(async () => t?.close());

  it('lists, filters, acts on an incident, and refuses what its state does not allow', async () => {
    const opened = await t.app.inject({ method: 'POST', url: '/api/alerts/webhook', headers: t.as('responder'), payload: [{ name: 'A', service: 'one' }, { name: 'B', service: 'two' }] });
    const [a] = opened.json().results;
    const list = await t.app.inject({ method: 'GET', url: '/api/incidents?status=active&service=one', headers: t.as('viewer') });
    expect(list.json()).toMatchObject({ total: 1, incidents: [{ id: a.incidentId, service: 'one' }] });
    expect((await t.app.inject({ method: 'GET', url: '/api/incidents?status=bogus', headers: t.as('viewer') })).statusCode).toBe(400);

    const h = t.as('responder');
    expect((await t.app.inject({ method: 'POST', url: `/api/incidents/${a.incidentId}/ack`, headers: h })).json().incident.status).toBe('acknowledged');
    expect((await t.app.inject({ method: 'POST', url: `/api/incidents/${a.incidentId}/ack`, headers: h })).statusCode).toBe(409);
    expect((await t.app.inject({ method: 'POST', url: `/api/incidents/${a.incidentId}/diagnose`, headers: h, payload: { cause: 'bad config' } })).json().incident.cause).toBe('bad config');
    expect((await t.app.inject({ method: 'POST', url: `/api/incidents/${a.incidentId}/diagnose`, headers: h, payload: {} })).statusCode).toBe(400);
    expect((await t.app.inject({ method: 'POST', url: `/api/incidents/${a.incidentId}/notes`, headers: h, payload: { text: 'rolled the config back' } })).statusCode).toBe(200);
    const res = await t.app.inject({ method: 'POST', url: `/api/incidents/${a.incidentId}/resolve`, headers: h, payload: { note: 'config fixed' } });
    expect(res.json().incident).toMatchObject({ status: 'resolved' });
    expect((await t.app.inject({ method: 'POST', url: '/api/incidents/9999/ack', headers: h })).statusCode).toBe(404);
    expect((await t.app.inject({ method: 'POST', url: `/api/incidents/${a.incidentId}/ack`, headers: t.as('viewer') })).statusCode).toBe(403);

    const detail = (await t.app.inject({ method: 'GET', url: `/api/incidents/${a.incidentId}`, headers: t.as('viewer') })).json();
    expect(detail.timeline.map((e: { type: string; actor: string }) => `${e.type}:${e.actor}`)).toEqual(['opened:webhook:r', 'alert_fired:webhook:r', 'acknowledged:r', 'cause_identified:r', 'note:r', 'resolved:r']);
  });

  it('creates, lists and deletes silences, which suppress matching alerts', async () => {
    const h = t.as('responder');
    const created = await t.app.inject({ method: 'POST', url: '/api/silences', headers: h, payload: { matchers: { service: 'db' }, duration: '1h', comment: 'upgrade' } });
    expect(created.statusCode).toBe(201);
    expect(created.json()).toMatchObject({ matchers: { service: 'db' }, startsAt: t.clock.now(), endsAt: t.clock.now() + 3_600_000, createdBy: 'r', source: 'api' });
    const alert = await t.app.inject({ method: 'POST', url: '/api/alerts/webhook', headers: h, payload: { name: 'DbDown', service: 'db' } });
    expect(alert.json().results[0].outcome).toBe('suppressed');
    expect((await t.app.inject({ method: 'GET', url: '/api/silences', headers: t.as('viewer') })).json().silences).toHaveLength(1);
    expect((await t.app.inject({ method: 'POST', url: '/api/silences', headers: h, payload: { matchers: { service: 'db' } } })).statusCode).toBe(400);
    expect((await t.app.inject({ method: 'POST', url: '/api/silences', headers: h, payload: { matchers: { a: '/(/' }, duration: '1h' } })).statusCode).toBe(400);
    expect((await t.app.inject({ method: 'DELETE', url: `/api/silences/${created.json().id}`, headers: h })).statusCode).toBe(204);
    expect((await t.app.inject({ method: 'POST', url: '/api/alerts/webhook', headers: h, payload: { name: 'DbDown', service: 'db' } })).json().results[0].outcome).toBe('opened');
  });
});
