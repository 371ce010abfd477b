import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { appendToIncident, ingestAlerts } from '../../../src/incidents/index.js';
import { createToken } from '../../../src/store/index.js';
import { openTestApp, type TestApp } from '../../helpers/app.js';
import { alert } from '../../helpers/incidents.js';
import { ENGINES } from '../../helpers/stores.js';

/**
 * Nothing of an incident reaches the public but what the page is for: an incident full of secrets,
 * labels, alert details, runbook output, a cause, notes and a postmortem, on a listed service and on an
 * unlisted one, and every public answer (HTML, JSON, Atom, each badge) searched for any of it.
 */
const SECRET = 'sk_live_51PrivacyTestSecretValue';
const MARKERS = {
  title: 'TITLE-7f3a internal hostname db-7.prod.internal',
  label: 'LABEL-team-payments-oncall',
  annotation: 'ANNOTATION-see-grafana-dash-42',
  alertName: 'AlertNameCheckoutP95Breach',
  fingerprint: 'FINGERPRINT-a1b2c3',
  runbook: 'RUNBOOK-OUTPUT pg_stat_activity: 212 idle in transaction',
  cause: 'CAUSE connection pool exhausted by the nightly export job',
  note: 'NOTE paged the DBA, she is on a train',
  remediation: 'REMEDIATION-OUTPUT kubectl rollout restart deploy/checkout-7f9',
  resolveNote: 'RESOLVE-NOTE raised max_connections to 400',
  serviceLabel: 'SERVICE-LABEL cost-center 1234',
  responder: 'alice-responder-laptop-token',
  unlistedService: 'ledger-internal',
  unlistedTitle: 'UNLISTED-INCIDENT ledger drift',
};

describe.each(ENGINES)('the public status page on %s gives nothing away', (engine) => {
  let t: TestApp;
  let id: number;
  let unlisted: number;
  beforeAll(async () => {
    t = await openTestApp({
      engine,
      env: { STRIPE_KEY: SECRET },
      config: `
services:
  - { name: checkout, labels: { cost: "${MARKERS.serviceLabel}" } }
  - { name: ${MARKERS.unlistedService} }
notifications:
  - { name: ops, type: webhook, url: "http://127.0.0.1:9/hook", headers: { authorization: "\${STRIPE_KEY}" } }
status_page:
  title: "Shop status"
  services: [checkout]
`,
    });
    const now = t.clock.now();
    const [r] = await ingestAlerts(
      t.core.incidents,
      [alert({ name: MARKERS.alertName, fingerprint: MARKERS.fingerprint, service: 'checkout', severity: 'P1', title: MARKERS.title, labels: { alertname: MARKERS.alertName, service: 'checkout', team: MARKERS.label, key: SECRET }, annotations: { summary: MARKERS.annotation }, startsAt: now - 60_000 })],
      'alertmanager',
    );
    id = r!.incidentId!;
    await appendToIncident(t.core.incidents, id, [
      { type: 'runbook_step_finished', actor: 'runbook:db', payload: { runbook: 'db', step: 'sessions', ok: true, output: `${MARKERS.runbook} password=${SECRET}` } },
      { type: 'cause_identified', actor: 'r', payload: { cause: MARKERS.cause, by: 'responder' } },
      { type: 'note', actor: 'r', payload: { text: MARKERS.note } },
      { type: 'remediation_finished', actor: 'rule:restart', payload: { rule: 'restart', ok: true, fix: true, output: MARKERS.remediation } },
      { type: 'resolved', actor: 'r', payload: { by: 'responder', note: MARKERS.resolveNote } },
    ]);
    const [u] = await ingestAlerts(t.core.incidents, [alert({ name: 'LedgerDrift', service: MARKERS.unlistedService, title: MARKERS.unlistedTitle, startsAt: now - 30_000 })], 'alertmanager');
    unlisted = u!.incidentId!;
    // A written update that quotes the secret by mistake: the core redacts it before it is stored.
    const alice = (await createToken(t.rt.store.db, { name: MARKERS.responder, role: 'responder', source: 'cli' }, now)).token;
    const res = await t.app.inject({ method: 'POST', url: `/api/incidents/${id}/updates`, headers: { authorization: `Bearer ${alice}` }, payload: { status: 'monitoring', message: `We applied a fix (key ${SECRET}).` } });
    expect(res.statusCode).toBe(200);
  });
  afterAll(async () => t?.close());

  it('holds every marker privately (the test is meaningful)', async () => {
    const details = JSON.stringify((await t.app.inject({ method: 'GET', url: `/api/incidents/${id}`, headers: t.as('viewer') })).json());
    const postmortem = (await t.app.inject({ method: 'GET', url: `/api/incidents/${id}/postmortem`, headers: t.as('viewer') })).body;
    const annotations = JSON.stringify(await t.rt.store.db.selectFrom('alerts').select('annotations').where('incident_id', '=', id).execute());
    expect(annotations).toContain(MARKERS.annotation);
    for (const m of [MARKERS.title, MARKERS.label, MARKERS.alertName, MARKERS.runbook, MARKERS.cause, MARKERS.note, MARKERS.remediation, MARKERS.resolveNote, MARKERS.responder]) {
      expect(details + postmortem, m).toContain(m.split(' ')[0]);
    }
    expect(postmortem).toContain(MARKERS.cause);
    expect((await t.app.inject({ method: 'GET', url: `/api/incidents/${unlisted}`, headers: t.as('viewer') })).json().incident.title).toBe(MARKERS.unlistedTitle);
  });

  it('shows the incident publicly, and none of it but its public words', async () => {
    const answers: Record<string, string> = {};
    for (const url of ['/status', '/status/feed.atom', '/api/public/status', '/api/public/status/badge.svg', '/api/public/status/badge.svg?service=checkout']) {
      const res = await t.app.inject({ method: 'GET', url });
      expect(res.statusCode, url).toBe(200);
      answers[url] = res.body;
    }
    const json = JSON.parse(answers['/api/public/status']!);
    expect(json.active_incidents.map((i: { id: number }) => i.id)).toEqual([id]);
    expect(json.active_incidents[0].updates[0]).toMatchObject({ status: 'monitoring', automatic: false });
    expect(json.active_incidents[0].updates[0].message).toMatch(/^We applied a fix \(key .+\)\.$/);
    for (const [url, body] of Object.entries(answers)) {
      for (const [name, marker] of Object.entries(MARKERS)) {
        // Each marker's distinctive first word, and the whole of it.
        for (const needle of new Set([marker, marker.split(' ')[0]!])) expect(body.includes(needle), `${url} shows the ${name}: ${needle}`).toBe(false);
      }
      expect(body.includes(SECRET), `${url} shows the secret`).toBe(false);
      expect(body.includes(String(unlisted)) && body.includes(`incident-${unlisted}`), `${url} shows the unlisted incident`).toBe(false);
    }
  });

  it('a service that is not listed does not exist publicly', async () => {
    const badge = await t.app.inject({ method: 'GET', url: `/api/public/status/badge.svg?service=${MARKERS.unlistedService}` });
    expect(badge.statusCode).toBe(404);
    expect(badge.body).not.toContain(MARKERS.unlistedService);
    const json = (await t.app.inject({ method: 'GET', url: '/api/public/status' })).json();
    expect(json.services.map((s: { name: string }) => s.name)).toEqual(['checkout']);
  });
});
