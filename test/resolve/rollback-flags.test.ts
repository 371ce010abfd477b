import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { listDeployments, recordDeployment } from '../../src/diagnose/index.js';
import { getIncident, getTimeline, ingestAlerts } from '../../src/incidents/index.js';
import { fromJson } from '../../src/store/index.js';
import { openTestApp, type TestApp } from '../helpers/app.js';
import { openHarness, type AutomationHarness } from '../helpers/automation.js';
import { runCli } from '../helpers/cli.js';
import { alert, T0 } from '../helpers/incidents.js';
import { ENGINES } from '../helpers/stores.js';
import { tempDir } from './helpers.js';

const MIN = 60_000;

describe.each(ENGINES)('rollback on %s', (engine) => {
  let t: TestApp;
  afterEach(async () => t?.close());

  const services = (dir: string) => `
services:
  - { name: payment, rollback: 'echo "rolling back $MEDIC_SERVICE (incident $MEDIC_INCIDENT_ID)"; touch ${dir}/rolled-back' }
  - { name: auth, rollback: 'echo "helm says no" >&2; exit 1' }
  - { name: search }
`;

  it("runs the service's rollback, records it as a deployment and as the fix of its open incidents", async () => {
    const dir = tempDir('medic-rollback-');
    t = await openTestApp({ engine, config: services(dir) });
    const db = t.rt.store.db;
    await recordDeployment(db, { service: 'payment', version: 'v2.4.0', actor: 'ci' }, T0 - 60 * MIN);
    await recordDeployment(db, { service: 'payment', version: 'v2.4.1', actor: 'ci' }, T0 - 10 * MIN);
    const [opened] = await ingestAlerts(t.core.incidents, [alert({ service: 'payment' })], 'alertmanager');
    t.clock.advance(3 * MIN);

    const post = (name: string, role: 'viewer' | 'responder' = 'responder') => t.app.inject({ method: 'POST', url: `/api/services/${name}/rollback`, headers: t.as(role) });
    expect((await post('payment', 'viewer')).statusCode).toBe(403);
    const res = await post('payment');
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ ok: true, service: 'payment', version: 'v2.4.0', output: `rolling back payment (incident ${opened!.incidentId})\n`, incidentIds: [opened!.incidentId] });
    expect(readFileSync(path.join(dir, 'rolled-back'), 'utf8')).toBe('');

    const [latest] = await listDeployments(db, { services: ['payment'] });
    expect(latest).toMatchObject({ version: 'v2.4.0', rollback: true, actor: 'r', deployedAt: T0 + 3 * MIN, metadata: { command: expect.stringContaining('rolling back') } });
    const timeline = await getTimeline(db, opened!.incidentId!);
    expect(timeline.find((e) => e.type === 'rolled_back')).toMatchObject({ actor: 'r', payload: { fix: true, ok: true, version: 'v2.4.0', deployment_id: latest!.id } });
    expect(await getIncident(db, opened!.incidentId!)).toMatchObject({ resolvedAt: T0 + 3 * MIN });
    expect((await t.core.queue.list(db, { kind: 'verify.service' })).map((j) => j.incidentId)).toEqual([opened!.incidentId]);
  });

  it('a failing rollback is on the timeline as no fix; unknown services and services without a command are refused', async () => {
    t = await openTestApp({ engine, config: services(tempDir('medic-rollback-')) });
    const [opened] = await ingestAlerts(t.core.incidents, [alert({ service: 'auth' })], 'alertmanager');
    const res = await t.app.inject({ method: 'POST', url: '/api/services/auth/rollback', headers: t.as('responder') });
    expect(res.json()).toMatchObject({ ok: false, output: 'helm says no\n', error: 'exited with code 1', deploymentId: null });
    const event = (await getTimeline(t.rt.store.db, opened!.incidentId!)).find((e) => e.type === 'rolled_back')!;
    expect(event.payload).toMatchObject({ ok: false, error: 'exited with code 1' });
    expect(event.payload.fix).toBeUndefined();
    expect(await listDeployments(t.rt.store.db)).toEqual([]);

    const none = await t.app.inject({ method: 'POST', url: '/api/services/search/rollback', headers: t.as('responder') });
    expect(none.statusCode).toBe(409);
    expect(none.json().message).toContain('search has no rollback command');
    expect((await t.app.inject({ method: 'POST', url: '/api/services/nope/rollback', headers: t.as('responder') })).statusCode).toBe(404);
  });
});

describe('medic rollback', () => {
  it('rolls back from the command line and exits 0, or 1 when the command failed', async () => {
    const dir = tempDir('medic-rollback-cli-');
    const file = path.join(dir, 'medic.yaml');
    writeFileSync(
      file,
      `storage: { url: "sqlite://${path.join(dir, 'medic.db')}" }
services:
  - { name: payment, rollback: 'echo "kubectl rollout undo deployment/payment"' }
  - { name: auth, rollback: 'exit 3' }
`,
    );
    const ok = await runCli(['rollback', 'payment', '-c', file]);
    expect(ok.code).toBe(0);
    expect(ok.stdout).toBe('kubectl rollout undo deployment/payment\n✓ rolled back payment\n');
    const failed = await runCli(['rollback', 'auth', '-c', file]);
    expect(failed.code).toBe(1);
    expect(failed.stderr).toContain('✗ rollback of auth failed: exited with code 3');
    expect((await runCli(['rollback', 'nope', '-c', file])).code).toBe(2);
  });
});

describe.each(ENGINES)('the disable_flag kill switch on %s', (engine) => {
  let h: AutomationHarness;
  afterEach(async () => h?.close());

  it('switches the flag off in one transaction with its change record, as the fix of the open incidents of its service', async () => {
    h = await openHarness(
      engine,
      `
services: [{ name: checkout }]
flags:
  - { key: new_checkout_flow, enabled: true, rollout: 25%, service: checkout }
remediation:
  - alert: "checkout-errors"
    action: { type: disable_flag, flag: new_checkout_flow }
`,
    );
    const db = h.core.rt.store.db;
    const other = await h.ingest([alert({ name: 'checkout-latency', service: 'checkout', fingerprint: 'lat' })]);
    h.clock.advance(10 * MIN); // past the group window: its own incident
    const id = await h.ingest([alert({ name: 'checkout-errors', service: 'checkout', fingerprint: 'err' })]);
    h.clock.advance(MIN);
    await h.runDue({ kinds: ['resolve.remediate'] });

    const flag = await db.selectFrom('flags').selectAll().where('key', '=', 'new_checkout_flow').executeTakeFirstOrThrow();
    expect(flag).toMatchObject({ enabled: 0, version: 2, rollout: 0.25, updated_by_source: 'remediation', updated_at: h.clock.now() });
    // The config created the flag at start; the remediation made the one change since.
    const changes = await db.selectFrom('flag_changes').selectAll().where('actor', '<>', 'config').execute();
    expect(changes).toHaveLength(1);
    expect(changes[0]).toMatchObject({ flag_key: 'new_checkout_flow', actor: 'checkout-errors', incident_id: id, at: h.clock.now() });
    expect(fromJson(changes[0]!.before, {})).toMatchObject({ enabled: true, version: 1, rollout: 0.25 });
    expect(fromJson(changes[0]!.after, {})).toMatchObject({ enabled: false, version: 2, rollout: 0.25 });

    // Every open incident of the flag's service hears of it; only the one it was made for counts it as its fix.
    const fixed = (await h.timeline(id)).find((e) => e.type === 'flag_changed')!;
    expect(fixed).toMatchObject({ actor: 'checkout-errors', payload: { flag: 'new_checkout_flow', after: { enabled: false }, fix: true, incident_id: id } });
    expect((await getIncident(db, id))!.resolvedAt).toBe(h.clock.now());
    const told = (await h.timeline(other)).find((e) => e.type === 'flag_changed')!;
    expect(told.payload.fix).toBeUndefined();
    expect((await getIncident(db, other))!.resolvedAt).toBeNull();

    expect((await h.timeline(id)).find((e) => e.type === 'remediation_finished')!.payload).toMatchObject({ outcome: 'ok', output: 'flag new_checkout_flow disabled', fix: true });
    // One verification, for the incident whose fix it was, not one per fix event.
    expect((await h.core.queue.list(db, { kind: 'verify.service' })).map((j) => j.incidentId)).toEqual([id]);
  });
});
