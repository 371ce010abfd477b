import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { appendEvents, getIncident, ingestAlerts, type IncidentContext, type NewEvent } from '../../src/incidents/index.js';
import { postmortemDraft } from '../../src/report/index.js';
import type { ManualClock } from '../../src/shared/clock.js';
import { Store } from '../../src/store/index.js';
import { openTestApp, type TestApp } from '../helpers/app.js';
import { runCli } from '../helpers/cli.js';
import { alert, incidentContext, T0 } from '../helpers/incidents.js';
import { ENGINES, openTestStore, type TestStore } from '../helpers/stores.js';

const MIN = 60_000;

const SERVICES = `
services:
  - { name: payment-service, depends_on: [stripe-gateway] }
  - { name: stripe-gateway }
  - { name: checkout, depends_on: [payment-service] }
`;

const LOG = Array.from({ length: 20 }, (_, i) => `2026-11-27T11:5${Math.floor(i / 10)}:${String(i % 10).padStart(2, '0')}Z ERROR pool exhausted: waited 5000ms for a connection (request ${i + 1})`).join('\n');

/**
 * An incident through everything a postmortem reports: an Alertmanager alert 3 minutes after impact
 * began, a symptom on a dependent service, the suspects (a deployment, a flag change), a runbook, a
 * failed restart and a rollback that held, verification, the cause recorded by a responder.
 *
 *   started 11:57 · detected 12:00 · diagnosed 12:09 · resolved 12:12 · verified 12:16
 *   detect 3m + diagnose 9m + resolve 3m + verify 4m = MTTR 19m (Advanced, 4m over Elite)
 */
async function incidentToReview(store: Store, ctx: IncidentContext, clock: ManualClock): Promise<number> {
  const [opened] = await ingestAlerts(
    ctx,
    [alert({ source: 'alertmanager', name: 'PaymentErrorRate', service: 'payment-service', severity: 'P1', startsAt: T0 - 3 * MIN, title: 'Payment error rate above 5%' })],
    'alertmanager',
  );
  const id = opened!.incidentId!;
  const at = (minutes: number) => T0 + minutes * MIN;
  const append = async (events: NewEvent[]) => {
    clock.set(Math.max(clock.now(), ...events.map((e) => e.at ?? 0)));
    await appendEvents(store.db, ctx, (await getIncident(store.db, id))!, events);
  };
  await append([
    {
      type: 'deployment_correlated', actor: 'system', at: at(0),
      payload: { deployment_id: 1, service: 'payment-service', version: 'v2.4.1', commit: 'abc123def4567890', url: 'https://ci.example/builds/812', deployed_at: at(-14), deployed_by: 'ci', minutes_before_start: 11, relation: 'same service' },
    },
    {
      type: 'flag_changed', actor: 'system', at: at(0),
      payload: { correlated: true, change_id: 4, flag: 'new_checkout_flow', service: 'payment-service', changed_at: at(-40), changed_by: 'alice', reason: 'ramp to 25%', before: { enabled: true, rollout: 0.1 }, after: { enabled: true, rollout: 0.25 }, minutes_before_start: 37 },
    },
    { type: 'notification_sent', actor: 'system', at: at(0) + 5000, payload: { channel: '#payments-team', event: 'opened' } },
    { type: 'runbook_started', actor: 'payment-diagnostics', at: at(0) + 10_000, payload: { runbook: 'payment-diagnostics', run: 1, steps: ['Service health', 'Recent errors', 'Stripe status'] } },
    { type: 'runbook_step_finished', actor: 'payment-diagnostics', at: at(0) + 12_000, payload: { runbook: 'payment-diagnostics', run: 1, index: 0, step: 'Service health', kind: 'http', ok: false, status_code: 503, duration_ms: 210, output: '{"status":"degraded","db":"timeout"}' } },
    { type: 'runbook_step_finished', actor: 'payment-diagnostics', at: at(0) + 40_000, payload: { runbook: 'payment-diagnostics', run: 1, index: 1, step: 'Recent errors', kind: 'run', ok: true, exit_code: 0, duration_ms: 28_000, output: LOG } },
    { type: 'runbook_step_finished', actor: 'payment-diagnostics', at: at(0) + 41_000, payload: { runbook: 'payment-diagnostics', run: 1, index: 2, step: 'Stripe status', kind: 'http', ok: true, status_code: 200, value: 'All Systems Operational', duration_ms: 300, output: '' } },
    { type: 'runbook_finished', actor: 'payment-diagnostics', at: at(0) + 41_000, payload: { runbook: 'payment-diagnostics', run: 1, ok: 2, failed: 1, duration_ms: 31_000 } },
    { type: 'acknowledged', actor: 'alice', at: at(1) },
  ]);
  clock.set(at(2));
  await ingestAlerts(ctx, [alert({ source: 'alertmanager', name: 'CheckoutLatency', service: 'checkout', startsAt: at(1), title: 'Checkout p95 above 1s' })], 'alertmanager');
  await append([
    { type: 'remediation_started', actor: 'payment-restart', at: at(5), payload: { rule: 'payment-restart', attempt: 1, action: 'kubernetes_rollout_restart' } },
    { type: 'remediation_finished', actor: 'payment-restart', at: at(7), payload: { rule: 'payment-restart', attempt: 1, action: 'kubernetes_rollout_restart', ok: false, outcome: 'failed', error: 'pods still crashlooping after 2m' } },
    { type: 'cause_identified', actor: 'alice', at: at(9), payload: { cause: 'v2.4.1 opens a connection per request and exhausts the database pool', by: 'responder' } },
    { type: 'remediation_started', actor: 'payment-rollback', at: at(10), payload: { rule: 'payment-rollback', attempt: 1, action: 'rollback' } },
    { type: 'remediation_finished', actor: 'payment-rollback', at: at(12), payload: { rule: 'payment-rollback', attempt: 1, action: 'rollback', ok: true, fix: true, outcome: 'ok', duration_ms: 95_000, output: 'deployment "payment-service" rolled back' } },
    { type: 'verification_started', actor: 'system', at: at(12) },
    { type: 'verification_progress', actor: 'system', at: at(14), payload: { summary: 'error rate 0.4%, p95 310ms (1 of 2 healthy evaluations)', line: 'error rate 0.4%, p95 310ms', healthy: true, evaluation: 1 } },
    { type: 'verified', actor: 'system', at: at(16) },
    { type: 'note', actor: 'bob', at: at(20), payload: { text: 'postmortem meeting Thursday | 10:00' } },
  ]);
  await store.db
    .insertInto('remediation_attempts')
    .values([
      { incident_id: id, rule_name: 'payment-restart', attempt: 1, action_type: 'kubernetes_rollout_restart', status: 'failed', dry_run: 0, requested_at: at(5), started_at: at(5), finished_at: at(7), decided_by: null, output: '', error: 'pods still crashlooping after 2m' },
      { incident_id: id, rule_name: 'payment-rollback', attempt: 1, action_type: 'rollback', status: 'succeeded', dry_run: 0, requested_at: at(10), started_at: at(10), finished_at: at(12), decided_by: 'alice', output: 'rolled back', error: null },
    ])
    .execute();
  return id;
}

describe.each(ENGINES)('postmortem draft on %s', (engine) => {
  let t: TestStore;
  let ctx: IncidentContext;
  let id: number;
  beforeAll(async () => {
    t = await openTestStore(engine);
    const made = incidentContext(t.store, SERVICES);
    ctx = made.ctx;
    id = await incidentToReview(t.store, ctx, made.clock);
  });
  afterAll(async () => t?.cleanup());

  it('matches the snapshot', async () => {
    const draft = await postmortemDraft(t.store.db, ctx, id, T0 + 60 * MIN);
    await expect(draft).toMatchFileSnapshot('./__snapshots__/postmortem.md');
  });

  it('drafts an open incident with the gaps said, and nothing for an unknown one', async () => {
    const [open] = await ingestAlerts(ctx, [alert({ name: 'SearchDown', service: 'search', startsAt: T0 + 100 * MIN })], 'webhook');
    const draft = (await postmortemDraft(t.store.db, ctx, open!.incidentId!, T0 + 120 * MIN))!;
    expect(draft).toContain('The incident is not resolved yet (open).');
    expect(draft).toContain('_No runbook ran for this incident._');
    expect(draft).toContain('_No remediation was attempted._');
    expect(draft).toContain('_Not recorded. Record it with `medic incident diagnose');
    expect(await postmortemDraft(t.store.db, ctx, 999_999, T0)).toBeUndefined();
  });
});

describe('GET /api/incidents/:id/postmortem and medic postmortem', () => {
  let t: TestApp;
  let id: number;
  let file: string;
  beforeAll(async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'medic-postmortem-'));
    file = path.join(dir, 'medic.yaml');
    writeFileSync(file, `${SERVICES}\nstorage: { url: "sqlite://${dir}/medic.db" }\n`);
    t = await openTestApp({ config: SERVICES });
    id = await incidentToReview(t.rt.store, t.core.incidents, t.clock);
  });
  afterAll(async () => t?.close());

  it('answers Markdown to a viewer, 404 for an unknown incident', async () => {
    const res = await t.app.inject({ method: 'GET', url: `/api/incidents/${id}/postmortem`, headers: t.as('viewer') });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toBe('text/markdown; charset=utf-8');
    expect(res.body).toMatch(/^# Postmortem: Payment error rate above 5% \(#1\)/);
    expect(res.body).toContain('- **Bottleneck: diagnose** took 9m, 47% of this incident');
    expect((await t.app.inject({ method: 'GET', url: '/api/incidents/999999/postmortem', headers: t.as('viewer') })).statusCode).toBe(404);
  });

  it('prints the draft or writes it to a file; exit 2 for an unknown incident', async () => {
    const cliStore = await Store.open({ url: `sqlite://${path.dirname(file)}/medic.db` });
    try {
      const made = incidentContext(cliStore, SERVICES);
      await incidentToReview(cliStore, made.ctx, made.clock);
    } finally {
      await cliStore.close();
    }
    const printed = await runCli(['postmortem', '1', '-c', file]);
    expect(printed.code).toBe(0);
    expect(printed.stdout).toContain('## Timeline');
    const out = path.join(path.dirname(file), 'pm.md');
    const written = await runCli(['postmortem', '#1', '-o', out, '-c', file]);
    expect(written.code).toBe(0);
    expect(readFileSync(out, 'utf8')).toContain('## Follow-ups');
    expect((await runCli(['postmortem', '42', '-c', file])).code).toBe(2);
    expect((await runCli(['postmortem', 'abc', '-c', file])).code).toBe(2);
  });
});
