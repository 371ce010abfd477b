import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { getTimeline, ingestAlerts } from '../../src/incidents/index.js';
import { listAttempts } from '../../src/resolve/index.js';
import { ManualClock } from '../../src/shared/clock.js';
import { openTestApp, type TestApp } from '../helpers/app.js';
import { openHarness, runDueJobs } from '../helpers/automation.js';
import { runCli } from '../helpers/cli.js';
import { alert } from '../helpers/incidents.js';
import { startRecordingServer, type RecordingServer } from '../helpers/recording-server.js';
import { ENGINES } from '../helpers/stores.js';
import { tempDir } from './helpers.js';

const MIN = 60_000;
const rules = (url: string) => `
remediation:
  - name: restart-payment
    alert: HighErrorRate
    action: { type: webhook, url: "${url}/fix", require_approval: true, approval_timeout: 15m, max_auto_attempts: 2 }
`;

describe.each(ENGINES)('remediation approval on %s', (engine) => {
  let t: TestApp;
  let srv: RecordingServer;
  afterEach(async () => {
    await t?.close();
    await srv?.close();
  });

  async function requested(): Promise<{ incidentId: number; attemptId: number }> {
    const [r] = await ingestAlerts(t.core.incidents, [alert()], 'alertmanager');
    await runDueJobs(t.core, t.clock);
    const event = (await getTimeline(t.rt.store.db, r!.incidentId!)).find((e) => e.type === 'approval_requested')!;
    expect(event.payload).toMatchObject({ rule: 'restart-payment', attempt: 1, would: expect.stringMatching(/^POST http:\/\/127\.0\.0\.1:\d+\/fix with the incident as JSON$/), expires_at: t.clock.now() + 15 * MIN });
    return { incidentId: r!.incidentId!, attemptId: event.payload.attempt_id as number };
  }
  const fixes = () => srv.requests.filter((r) => r.url === '/fix').length;
  const decide = (incidentId: number, attemptId: number, decision: 'approve' | 'reject', role: 'viewer' | 'responder' = 'responder', body?: object) =>
    t.app.inject({ method: 'POST', url: `/api/incidents/${incidentId}/remediations/${attemptId}/${decision}`, headers: t.as(role), ...(body ? { payload: body } : {}) });

  it('waits for a responder; approving runs the action at once', async () => {
    srv = await startRecordingServer();
    t = await openTestApp({ engine, config: rules(srv.url) });
    const { incidentId, attemptId } = await requested();
    t.clock.advance(5 * MIN);
    await runDueJobs(t.core, t.clock);
    expect(fixes()).toBe(0);

    expect((await decide(incidentId, attemptId, 'approve', 'viewer')).statusCode).toBe(403);
    expect((await decide(incidentId + 1, attemptId, 'approve')).statusCode).toBe(404);
    const approved = await decide(incidentId, attemptId, 'approve');
    expect(approved.statusCode).toBe(200);
    expect(approved.json()).toMatchObject({ id: attemptId, status: 'approved', decidedBy: 'r' });
    expect((await decide(incidentId, attemptId, 'approve')).statusCode).toBe(409);

    await runDueJobs(t.core, t.clock);
    expect(fixes()).toBe(1);
    const timeline = await getTimeline(t.rt.store.db, incidentId);
    expect(timeline.filter((e) => ['approval_requested', 'approved', 'remediation_started', 'remediation_finished'].includes(e.type)).map((e) => [e.type, e.actor])).toEqual([
      ['approval_requested', 'restart-payment'],
      ['approved', 'r'],
      ['remediation_started', 'restart-payment'],
      ['remediation_finished', 'restart-payment'],
    ]);
    expect(timeline.find((e) => e.type === 'remediation_started')!.payload).toMatchObject({ approved_by: 'r' });
    const list = await t.app.inject({ method: 'GET', url: `/api/incidents/${incidentId}/remediations`, headers: t.as('viewer') });
    expect(list.json().attempts).toMatchObject([{ id: attemptId, rule: 'restart-payment', attempt: 1, status: 'succeeded', decidedBy: 'r', output: 'ok' }]);
  });

  it('a rejected action never runs, and the chain of that rule ends', async () => {
    srv = await startRecordingServer();
    t = await openTestApp({ engine, config: rules(srv.url) });
    const { incidentId, attemptId } = await requested();
    const rejected = await decide(incidentId, attemptId, 'reject', 'responder', { reason: 'we are failing over instead' });
    expect(rejected.json()).toMatchObject({ status: 'rejected' });
    t.clock.advance(30 * MIN);
    await runDueJobs(t.core, t.clock);
    expect(fixes()).toBe(0);
    const timeline = await getTimeline(t.rt.store.db, incidentId);
    expect(timeline.find((e) => e.type === 'rejected')).toMatchObject({ actor: 'r', payload: { attempt_id: attemptId, reason: 'we are failing over instead' } });
    expect(timeline.map((e) => e.type)).not.toContain('escalated');
    expect((await listAttempts(t.rt.store.db, incidentId)).map((a) => a.status)).toEqual(['rejected']);
    expect((await t.core.queue.list(t.rt.store.db, { kind: 'resolve.remediate' })).map((j) => j.status)).toEqual(['done']);
  });

  it('an approval not given within approval_timeout expires and the incident escalates', async () => {
    srv = await startRecordingServer();
    t = await openTestApp({ engine, config: rules(srv.url) });
    const { incidentId, attemptId } = await requested();
    t.clock.advance(15 * MIN);
    expect((await decide(incidentId, attemptId, 'approve')).statusCode).toBe(409); // too late
    await runDueJobs(t.core, t.clock);
    expect(fixes()).toBe(0);
    const timeline = await getTimeline(t.rt.store.db, incidentId);
    expect(timeline.slice(-2).map((e) => [e.type, e.type === 'approval_expired' ? e.payload.attempt_id : e.type === 'escalated' ? e.payload.reason : undefined])).toEqual([
      ['approval_expired', attemptId],
      ['escalated', 'no one approved restart-payment (attempt 1) within 15m'],
    ]);
    expect((await listAttempts(t.rt.store.db, incidentId)).map((a) => a.status)).toEqual(['expired']);
  });
});

describe('medic approve and reject', () => {
  it('answer an approval request from the command line', async () => {
    const srv = await startRecordingServer();
    const dir = tempDir('medic-approve-');
    const url = `sqlite://${path.join(dir, 'medic.db')}`;
    const file = path.join(dir, 'medic.yaml');
    writeFileSync(file, `storage: { url: "${url}" }\n${rules(srv.url)}`);
    // The CLI runs on the real clock, so the harness's clock starts at real time too (an approval made
    // from the command line must not find its request expired by a fixed test date).
    let h = await openHarness('sqlite', rules(srv.url), { url, clock: new ManualClock(Date.now()) });
    try {
      const id = await h.ingest([alert()]);
      await h.runDue();
      const [attempt] = await listAttempts(h.core.rt.store.db, id);
      await h.core.rt.store.close();

      expect((await runCli(['approve', 'abc', '-c', file])).code).toBe(2);
      expect((await runCli(['approve', '999', '-c', file])).stderr).toContain('no remediation attempt 999');
      const r = await runCli(['approve', String(attempt!.id), '--reason', 'go', '-c', file]);
      expect(r.code).toBe(0);
      expect(r.stdout).toBe(`approved attempt ${attempt!.id}: restart-payment #1 on incident #${id} (a worker runs it now)\n`);
      const again = await runCli(['reject', String(attempt!.id), '-c', file]);
      expect(again.code).toBe(1);
      expect(again.stderr).toContain('is approved, not awaiting approval');

      h = await openHarness('sqlite', rules(srv.url), { url, clock: h.clock });
      h.clock.set(Date.now() + 1000); // the approval woke the job at the CLI's (real) time
      await h.runDue();
      expect(srv.requests.filter((q) => q.url === '/fix')).toHaveLength(1);
      expect((await h.timeline(id)).find((e) => e.type === 'approved')).toMatchObject({ actor: expect.stringMatching(/^cli/), payload: { reason: 'go' } });
    } finally {
      await h.core.rt.store.close();
      await srv.close();
    }
  });
});
