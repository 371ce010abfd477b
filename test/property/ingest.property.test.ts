import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openTestApp, type TestApp } from '../helpers/app.js';

/**
 * Random and malformed bodies against every ingest endpoint: never a 500, never a crash, and either the
 * whole delivery is recorded (2xx) or nothing is (4xx).
 */
const ENDPOINTS = ['/api/alerts/alertmanager', '/api/alerts/webhook', '/api/alerts/pagerduty/v2/enqueue'];

const text = fc.oneof(fc.string({ maxLength: 20 }), fc.constantFrom('firing', 'resolved', 'trigger', 'resolve', 'acknowledge', 'critical', 'P1', '4', '2026-11-27T10:00:00Z', '0001-01-01T00:00:00Z', 'payment'));
const scalar = fc.oneof(text, fc.integer(), fc.double(), fc.boolean(), fc.constant(null));
const labelMap = fc.dictionary(fc.constantFrom('alertname', 'service', 'severity', 'x'), scalar, { maxKeys: 4 });
const anyJson = fc.letrec((tie) => ({ v: fc.oneof({ depthSize: 'small' }, scalar, fc.array(tie('v'), { maxLength: 3 }), fc.dictionary(fc.string({ maxLength: 8 }), tie('v'), { maxKeys: 4 })) })).v;

const amAlert = fc.record({ status: text, labels: labelMap, annotations: labelMap, startsAt: text, endsAt: text, fingerprint: text, generatorURL: text }, { requiredKeys: [] });
const amBody = fc.record({ version: fc.constantFrom('4', '3', 4), groupKey: text, status: text, alerts: fc.array(amAlert, { maxLength: 4 }), truncatedAlerts: scalar }, { requiredKeys: [] });
const webhookAlert = fc.record({ name: text, service: text, severity: text, status: text, labels: labelMap, started_at: text, fingerprint: text, description: text }, { requiredKeys: [] });
const pdBody = fc.record({ routing_key: text, event_action: text, dedup_key: text, payload: fc.record({ summary: text, source: text, severity: text, timestamp: text }, { requiredKeys: [] }) }, { requiredKeys: [] });

const bodies = fc.oneof(amBody, webhookAlert, fc.array(webhookAlert, { maxLength: 4 }), pdBody, anyJson);

describe('ingest endpoints under random input', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await openTestApp();
  });
  afterAll(async () => t?.close());

  const count = async () => Number((await t.rt.store.db.selectFrom('alerts').select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow()).n);

  it('answers 2xx (all recorded) or 4xx (nothing recorded), never 5xx', async () => {
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...ENDPOINTS), bodies, async (url, body) => {
        const before = await count();
        const res = await t.app.inject({ method: 'POST', url, headers: { ...t.as('responder'), 'content-type': 'application/json' }, payload: JSON.stringify(body) ?? 'null' });
        expect(res.statusCode, `${url} ${res.body}`).toBeLessThan(500);
        const after = await count();
        if (res.statusCode >= 400) expect(after).toBe(before);
        else expect(after - before).toBe(url.endsWith('enqueue') ? 1 : (res.json() as { received: number }).received);
      }),
      { numRuns: 1500 },
    );
  });

  it('answers malformed bytes with a 4xx', async () => {
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...ENDPOINTS), fc.string({ maxLength: 200 }), async (url, raw) => {
        const res = await t.app.inject({ method: 'POST', url, headers: { ...t.as('responder'), 'content-type': 'application/json' }, payload: raw });
        expect(res.statusCode).toBeLessThan(500);
      }),
      { numRuns: 800 },
    );
  });
});
