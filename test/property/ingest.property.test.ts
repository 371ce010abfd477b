import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openTestApp, type TestApp } from '../helpers/app.js';
import { ENGINES } from '../helpers/stores.js';

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

/**
 * The shapes a probe used to get 5xx with: JSON nested thousands deep, NUL bytes and other control
 * characters (PostgreSQL refuses a NUL), 200 KB values and thousands of labels, links that are not
 * http(s). On both engines: never a 5xx, all or nothing stored, and what is stored is within the limits
 * (incidents/limits.ts) and clean.
 */
const DEEP = '"__DEEP__"';
const controlText = fc.string({ maxLength: 30, unit: fc.constantFrom('a', 'Z', ' ', '\u0000', '\u0001', '\u0007', '\u001b', '\r', '\t', '\n', '\u007f', 'é', '\ud83d\ude00') });
const hugeText = fc.integer({ min: 1000, max: 250_000 }).map((n) => 'v'.repeat(n));
const link = fc.constantFrom('javascript:alert(1)', ' JaVa\tScRiPt:alert(1)', 'data:text/html,<script>x</script>', 'vbscript:x', 'http://prometheus.example/graph', 'https://grafana.example/d/1');
const nastyText = fc.oneof(controlText, hugeText, link, fc.constant(DEEP));
const manyLabels = fc.integer({ min: 60, max: 5000 }).map((n) => Object.fromEntries(Array.from({ length: n }, (_, i) => [`l${i}`, `v${i}`])));
const nastyMap = fc.oneof(fc.dictionary(fc.oneof(controlText, fc.constantFrom('runbook_url', 'dashboard', 'summary', 'k'.repeat(200))), nastyText, { maxKeys: 6 }), manyLabels);
const name = fc.oneof(fc.constantFrom('DiskFull', 'Errors'), controlText.filter((t) => t.length > 0));

const nastyAm = fc.record({
  status: fc.constantFrom('firing', 'resolved'),
  labels: nastyMap.map((l) => ({ ...l, alertname: 'NastyAlert' })),
  annotations: nastyMap,
  startsAt: fc.constant('2026-11-27T11:00:00Z'),
  generatorURL: fc.oneof(link, controlText),
  fingerprint: fc.oneof(controlText.filter((t) => t.length > 0), hugeText),
});
const nastyBodies = fc.oneof(
  fc.array(nastyAm, { minLength: 1, maxLength: 3 }).map((alerts) => ['/api/alerts/alertmanager', { version: '4', groupKey: '{}', status: 'firing', alerts }] as const),
  fc.record({ name, service: controlText.filter((t) => t.length > 0), labels: nastyMap, description: nastyText }, { requiredKeys: ['name'] }).map((a) => ['/api/alerts/webhook', a] as const),
  fc
    .record({ summary: name, source: name, severity: fc.constant('critical'), custom_details: fc.oneof(nastyText, nastyMap) })
    .chain((payload) => fc.record({ routing_key: fc.constant('rk'), event_action: fc.constant('trigger'), dedup_key: controlText.filter((t) => t.length > 0), client_url: link, payload: fc.constant(payload) }))
    .map((e) => ['/api/alerts/pagerduty/v2/enqueue', e] as const),
);

// eslint-disable-next-line no-control-regex -- looking for control characters is the point
const CONTROL = /[\u0000-\u0008\u000b-\u001f]/;

describe.each(ENGINES)('ingest endpoints under hostile input on %s', (engine) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await openTestApp({ engine });
  });
  afterAll(async () => t?.close());

  const count = async () => Number((await t.rt.store.db.selectFrom('alerts').select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow()).n);

  it('never answers 5xx; what it stores is within the limits, without control characters or other links', async () => {
    await fc.assert(
      fc.asyncProperty(nastyBodies, fc.integer({ min: 1, max: 6000 }), async ([url, body], depth) => {
        // A nested value wherever the body says __DEEP__, built as text: JSON.stringify itself overflows.
        const payload = JSON.stringify(body).replaceAll(DEEP, `${'{"d":'.repeat(depth)}1${'}'.repeat(depth)}`);
        const before = await count();
        const res = await t.app.inject({ method: 'POST', url, headers: { ...t.as('responder'), 'content-type': 'application/json' }, payload });
        expect(res.statusCode, `${url} ${res.body.slice(0, 300)}`).toBeLessThan(500);
        const after = await count();
        if (res.statusCode >= 400) {
          expect(after).toBe(before);
          return;
        }
        const rows = await t.rt.store.db.selectFrom('alerts').selectAll().orderBy('id', 'desc').limit(after - before).execute();
        expect(rows.length).toBeGreaterThan(0);
        for (const row of rows) {
          const labels = JSON.parse(row.labels) as Record<string, string>;
          const annotations = JSON.parse(row.annotations) as Record<string, string>;
          expect(Object.keys(labels).length).toBeLessThanOrEqual(64);
          expect(Object.keys(annotations).length).toBeLessThanOrEqual(64);
          for (const [k, v] of Object.entries(labels)) expect(k.length <= 128 && v.length <= 1024 && !CONTROL.test(k + v), k).toBe(true);
          for (const [k, v] of Object.entries(annotations)) expect(k.length <= 128 && v.length <= 16_384 && !CONTROL.test(k + v), k).toBe(true);
          expect(CONTROL.test(row.name + (row.service ?? '') + row.fingerprint)).toBe(false);
          expect(row.fingerprint.length).toBeLessThanOrEqual(256);
          if (row.generator_url !== null) expect(row.generator_url).toMatch(/^https?:\/\//);
        }
      }),
      { numRuns: 150 },
    );
  }, 300_000);
});
