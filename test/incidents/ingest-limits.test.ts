import { chmodSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getTimeline, ingestAlerts } from '../../src/incidents/index.js';
import { openTestApp, type TestApp } from '../helpers/app.js';
import { runDueJobs } from '../helpers/automation.js';
import { alert } from '../helpers/incidents.js';
import { ENGINES } from '../helpers/stores.js';

/**
 * One set of limits for every alert Medic ingests, whatever sent it (README, "Limits on what Medic
 * accepts"): at most 64 labels and 64 annotations, names of at most 128 characters, label values of at
 * most 1,024 and annotation values of at most 16,384. A longer value is cut with a marker and kept; the
 * labels past the count are dropped; a note on the timeline says what was cut. Links are http(s) only.
 */
const LIMITS = { labels: 64, name: 128, labelValue: 1024, annotationValue: 16_384 };
const MARKER = /…\[\d+ characters cut\]$/;

const amBody = (alerts: Record<string, unknown>[]) => ({ version: '4', groupKey: '{}:{}', status: 'firing', receiver: 'medic', alerts });
const amAlert = (name: string, labels: Record<string, string>, extra: Record<string, unknown> = {}) => ({
  status: 'firing',
  labels: { alertname: name, service: name.toLowerCase(), ...labels },
  annotations: { summary: `${name} summary` },
  startsAt: '2026-11-27T11:58:00Z',
  fingerprint: `fp-${name}`,
  ...extra,
});

describe.each(ENGINES)('limits on ingested alerts on %s', (engine) => {
  let t: TestApp;
  let dir: string;
  beforeAll(async () => {
    dir = mkdtempSync(path.join(tmpdir(), 'medic-limits-'));
    const script = path.join(dir, 'record-label.sh');
    writeFileSync(script, '#!/bin/sh\nprintf %s "$MEDIC_LABEL_BIG" | wc -c > "$OUT"\n');
    chmodSync(script, 0o755);
    t = await openTestApp({
      engine,
      config: `
runbooks:
  - name: show-big
    alert: [HugeLabel]
    steps: [{ name: size, run: 'printf %s "$MEDIC_LABEL_BIG" | wc -c' }]
remediation:
  - name: record
    alert: HugeLabel
    action: { type: script, script: "${script}", env: { OUT: "${path.join(dir, 'out.txt')}" } }
`,
    });
  });
  afterAll(async () => {
    await t?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const post = (url: string, payload: unknown) => t.app.inject({ method: 'POST', url, headers: t.as('responder'), payload: payload as object });
  const alertRow = (name: string) => t.rt.store.db.selectFrom('alerts').selectAll().where('name', '=', name).orderBy('id', 'desc').executeTakeFirstOrThrow();
  const notes = async (incidentId: number) => (await getTimeline(t.rt.store.db, incidentId)).filter((e) => e.type === 'note').map((e) => String(e.payload.text));

  it('a 200 KB label: the alert is kept with the value cut and marked, the runbook and the remediation script still run', async () => {
    const res = await post('/api/alerts/alertmanager', amBody([amAlert('HugeLabel', { big: 'x'.repeat(200 * 1024) })]));
    expect(res.statusCode, res.body).toBe(200);
    const id = res.json().results[0].incidentId as number;

    const row = await alertRow('HugeLabel');
    const big = JSON.parse(row.labels).big as string;
    expect(big.length).toBeLessThanOrEqual(LIMITS.labelValue);
    expect(big).toMatch(MARKER);
    expect(big.startsWith('x'.repeat(900))).toBe(true);
    const incident = (await t.app.inject({ method: 'GET', url: `/api/incidents/${id}`, headers: t.as('viewer') })).json();
    expect((incident.incident.labels.big as string).length).toBeLessThanOrEqual(LIMITS.labelValue);
    expect((await notes(id)).join('\n')).toMatch(/label "big" cut from 204800 to 1024 characters/);

    await runDueJobs(t.core, t.clock);
    const timeline = await getTimeline(t.rt.store.db, id);
    const step = timeline.find((e) => e.type === 'runbook_step_finished');
    expect(step?.payload, JSON.stringify(step?.payload)).toMatchObject({ ok: true });
    // wc counts bytes: the marker's ellipsis is three.
    expect(String(step!.payload.output).trim()).toBe(String(Buffer.byteLength(big)));
    const fix = timeline.find((e) => e.type === 'remediation_finished');
    expect(fix?.payload, JSON.stringify(fix?.payload)).toMatchObject({ ok: true });
    expect(readFileSync(path.join(dir, 'out.txt'), 'utf8').trim()).toBe(String(Buffer.byteLength(big)));
  });

  it('10,000 labels on one alert: 64 kept (alertname, service, severity first), the rest dropped with a note', async () => {
    const labels = Object.fromEntries(Array.from({ length: 10_000 }, (_, i) => [`l${String(i).padStart(5, '0')}`, `value-${i}`]));
    const res = await post('/api/alerts/alertmanager', amBody([amAlert('ManyLabels', { ...labels, severity: 'critical' })]));
    expect(res.statusCode, res.body).toBe(200);
    const id = res.json().results[0].incidentId as number;
    const row = await alertRow('ManyLabels');
    const stored = JSON.parse(row.labels) as Record<string, string>;
    expect(Object.keys(stored)).toHaveLength(LIMITS.labels);
    expect(stored).toMatchObject({ alertname: 'ManyLabels', service: 'manylabels', severity: 'P1', l00000: 'value-0' });
    const incident = await t.rt.store.db.selectFrom('incidents').select('labels').where('id', '=', id).executeTakeFirstOrThrow();
    expect(incident.labels.length).toBeLessThan(8 * 1024);
    expect((await notes(id)).join('\n')).toMatch(/9939 labels dropped \(at most 64\)/);
  });

  it('long names are dropped, long annotations cut, and the limits hold for the webhook and PagerDuty too', async () => {
    const res = await post('/api/alerts/alertmanager', amBody([
      amAlert('LongAnnotation', { ['k'.repeat(LIMITS.name + 1)]: 'v', ok: 'v' }, { annotations: { summary: 's'.repeat(5000), description: 'd'.repeat(100_000) } }),
    ]));
    expect(res.statusCode, res.body).toBe(200);
    const row = await alertRow('LongAnnotation');
    expect(Object.keys(JSON.parse(row.labels))).toEqual(expect.arrayContaining(['ok']));
    expect(Object.keys(JSON.parse(row.labels)).some((k) => k.startsWith('kkk'))).toBe(false);
    const annotations = JSON.parse(row.annotations) as Record<string, string>;
    expect(annotations.description!.length).toBeLessThanOrEqual(LIMITS.annotationValue);
    expect(annotations.description).toMatch(MARKER);
    const incident = await t.rt.store.db.selectFrom('incidents').select('title').where('alert_name', '=', 'LongAnnotation').executeTakeFirstOrThrow();
    expect(incident.title.length).toBeLessThanOrEqual(LIMITS.labelValue);
    expect(incident.title).toMatch(MARKER);

    // Medic's own format now takes what it used to refuse, bounded the same way.
    const many = Object.fromEntries(Array.from({ length: 100 }, (_, i) => [`l${i}`, 'v'.repeat(2000)]));
    const wh = await post('/api/alerts/webhook', { name: 'WebhookMany', service: 'webhookmany', labels: many });
    expect(wh.statusCode, wh.body).toBe(200);
    const whLabels = JSON.parse((await alertRow('WebhookMany')).labels) as Record<string, string>;
    expect(Object.keys(whLabels)).toHaveLength(LIMITS.labels);
    expect(Object.values(whLabels).every((v) => v.length <= LIMITS.labelValue)).toBe(true);

    const pd = await post('/api/alerts/pagerduty/v2/enqueue', {
      routing_key: 'rk', event_action: 'trigger', dedup_key: 'pd-big',
      payload: { summary: 'PdBig', source: 'db-1', severity: 'error', custom_details: { log: 'z'.repeat(50_000) } },
    });
    expect(pd.statusCode, pd.body).toBe(202);
    expect((JSON.parse((await alertRow('PdBig')).annotations).description as string).length).toBeLessThanOrEqual(LIMITS.annotationValue);
  });

  it('monitors and rules go through the same limits: a huge check error, a NUL, an over-long fingerprint', async () => {
    const [r] = await ingestAlerts(t.core.incidents, [
      alert({ source: 'monitor', name: 'Check\u0000Down', service: 'checkout', fingerprint: `monitor:${'f'.repeat(5000)}`, annotations: { error: `boom\u0000 ${'e'.repeat(100_000)}` }, labels: { alertname: 'Check\u0000Down', monitor: 'login\u0007' } }),
    ], 'monitor:login');
    const row = await t.rt.store.db.selectFrom('alerts').selectAll().where('name', '=', 'CheckDown').executeTakeFirstOrThrow();
    expect(row.fingerprint.length).toBeLessThanOrEqual(256);
    expect(JSON.parse(row.labels)).toMatchObject({ alertname: 'CheckDown', monitor: 'login' });
    const error = JSON.parse(row.annotations).error as string;
    expect(error.startsWith('boom e')).toBe(true);
    expect(error.length).toBeLessThanOrEqual(LIMITS.annotationValue);
    // The same long fingerprint maps to the same incident next time.
    const [again] = await ingestAlerts(t.core.incidents, [alert({ source: 'monitor', name: 'CheckDown', service: 'checkout', fingerprint: `monitor:${'f'.repeat(5000)}` })], 'monitor:login');
    expect(again!.incidentId).toBe(r!.incidentId);
  });

  it('keeps only http and https links: others are dropped with a note', async () => {
    const res = await post('/api/alerts/alertmanager', amBody([
      amAlert('BadLinks', {}, {
        generatorURL: 'javascript:alert(document.cookie)',
        annotations: { summary: 'links', runbook_url: 'javascript:alert(1)', dashboard: 'data:text/html,<script>alert(1)</script>', grafana_url: 'https://grafana.example/d/abc', description: 'see javascript: in prose, not a link' },
      }),
      amAlert('GoodLink', {}, { generatorURL: 'http://prometheus.example:9090/graph?g0.expr=up' }),
    ]));
    expect(res.statusCode, res.body).toBe(200);
    const bad = await alertRow('BadLinks');
    expect(bad.generator_url).toBeNull();
    const annotations = JSON.parse(bad.annotations) as Record<string, string>;
    expect(annotations).not.toHaveProperty('runbook_url');
    expect(annotations).not.toHaveProperty('dashboard');
    expect(annotations).toMatchObject({ grafana_url: 'https://grafana.example/d/abc', description: 'see javascript: in prose, not a link' });
    const id = res.json().results[0].incidentId as number;
    const text = (await notes(id)).join('\n');
    expect(text).toMatch(/generatorURL dropped: not an http\(s\) URL/);
    expect(text).toMatch(/annotation "runbook_url" dropped: not an http\(s\) URL/);
    const events = await getTimeline(t.rt.store.db, id);
    expect(JSON.stringify(events)).not.toContain('javascript:alert');
    expect((await alertRow('GoodLink')).generator_url).toBe('http://prometheus.example:9090/graph?g0.expr=up');

    const pd = await post('/api/alerts/pagerduty/v2/enqueue', { routing_key: 'rk', event_action: 'trigger', dedup_key: 'pd-link', client_url: 'javascript:alert(1)', payload: { summary: 'PdLink', source: 'db-1', severity: 'error' } });
    expect(pd.statusCode, pd.body).toBe(202);
    expect((await alertRow('PdLink')).generator_url).toBeNull();
  });
});
