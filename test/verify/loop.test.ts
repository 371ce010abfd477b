import { afterEach, describe, expect, it } from 'vitest';
import { runCheck } from '../../src/detect/checks/index.js';
import { listAttempts } from '../../src/resolve/index.js';
import { incidentOf, insertCheckResult, insertMonitor, openHarness, type AutomationHarness } from '../helpers/automation.js';
import { alert, T0 } from '../helpers/incidents.js';
import { checkContext, parseMonitor } from '../helpers/monitors.js';
import { startRecordingServer, type RecordingServer } from '../helpers/recording-server.js';
import { ENGINES } from '../helpers/stores.js';
import { startTargetService, type TargetService } from '../helpers/target-service.js';

/**
 * The automated loop with real processes on loopback: a service whose fault only its own /restart
 * cures, an alert that opens the incident, a runbook, a webhook remediation that calls /restart, and
 * verification from its monitor's check results (real HTTP checks against it, written as the scheduler
 * would). No person touches anything.
 */

const SEC = 1000;

function config(target: string, extra = '') {
  return `
services:
  - name: shop
    verification: { window: 1m, interval: 20s }
monitors:
  - { name: shop-health, service: shop, type: http, url: "${target}/health" }
runbooks:
  - name: shop-diagnostics
    match: { service: shop }
    steps:
      - { name: "Service health", http: "${target}/health" }
      - { name: "Context", run: 'echo "service=$MEDIC_SERVICE alert=$MEDIC_ALERT_NAME"' }
remediation:
  - alert: ShopDown
    cause: "the shop's worker pool is wedged; a restart clears it"
    action: { type: webhook, url: "${target}/restart", max_auto_attempts: 2, cooldown: 30s, notify: [ops] }
${extra}`;
}

describe.each(ENGINES)('the automated loop on %s', (engine) => {
  let h: AutomationHarness;
  let target: TargetService;
  let sink: RecordingServer | undefined;
  afterEach(async () => {
    await h?.close();
    await target?.stop();
    await sink?.close();
    sink = undefined;
  });

  /** What the scheduler does for the shop's monitor: run the real check and store its result. */
  async function checkShop(monitorId: number): Promise<string> {
    const outcome = await runCheck(parseMonitor('http', { url: `${target.url}/health`, timeout: '5s' }), checkContext());
    await insertCheckResult(h, monitorId, outcome.status === 'down' ? 'down' : 'up', h.clock.now(), outcome.error ?? null);
    return outcome.status;
  }

  it('takes a known failure from detected to verified with no human, every phase timestamp right', async () => {
    target = await startTargetService();
    sink = await startRecordingServer();
    h = await openHarness(engine, config(target.url, `notifications: [{ name: ops, type: webhook, url: "${sink.url}/hook" }]`));
    const monitorId = await insertMonitor(h, 'shop-health', 'shop');
    expect(await checkShop(monitorId)).toBe('down');

    // Detect: the alert fired a minute ago; Medic hears of it at T0.
    const id = await h.ingest([alert({ name: 'ShopDown', service: 'shop', fingerprint: 'shop-down', startsAt: T0 - 60 * SEC })]);
    // The rule is a known failure pattern: the cause is recorded in the same transaction.
    expect(await h.types(id)).toEqual(['opened', 'alert_fired', 'cause_identified', 'remediation_matched']);

    // Diagnose, then resolve: the runbook and the remediation run as jobs (one after the other here,
    // so the runbook's report shows the fault as it was).
    h.clock.advance(1 * SEC);
    await h.runDue({ kinds: ['diagnose.runbook'] });
    h.clock.advance(1 * SEC);
    await h.runDue();
    expect((await target.stats()).restarts).toBe(1);
    const afterFix = await incidentOf(h, id);
    expect(afterFix.status).toBe('verifying');
    expect(afterFix.resolvedAt).toBe(T0 + 2 * SEC);

    // Verify: the next check passes; the next evaluation sees it and closes the incident.
    h.clock.advance(20 * SEC);
    expect(await checkShop(monitorId)).toBe('up');
    await h.runDue();

    const incident = await incidentOf(h, id);
    expect(incident).toMatchObject({
      status: 'closed',
      cause: "the shop's worker pool is wedged; a restart clears it",
      startedAt: T0 - 60 * SEC,
      detectedAt: T0,
      diagnosedAt: T0,
      resolvedAt: T0 + 2 * SEC,
      verifiedAt: T0 + 22 * SEC,
      phases: { detect_ms: 60 * SEC, diagnose_ms: 0, resolve_ms: 2 * SEC, verify_ms: 20 * SEC, mttr_ms: 82 * SEC },
    });

    const timeline = await h.timeline(id);
    const types = timeline.map((e) => e.type);
    for (const t of ['runbook_started', 'runbook_finished', 'remediation_started', 'remediation_finished', 'verification_started', 'verification_progress', 'verified']) expect(types).toContain(t);
    expect(types.filter((t) => t === 'runbook_step_finished')).toHaveLength(2);
    // The runbook saw the fault as it was before the fix.
    const health = timeline.find((e) => e.type === 'runbook_step_finished' && e.payload.step === 'Service health')!;
    expect(health.payload).toMatchObject({ ok: false, status_code: 503, output: expect.stringContaining('worker pool wedged') });
    const ctxStep = timeline.find((e) => e.type === 'runbook_step_finished' && e.payload.step === 'Context')!;
    expect(ctxStep.payload).toMatchObject({ ok: true, exit_code: 0, output: 'service=shop alert=ShopDown\n' });
    expect(timeline.find((e) => e.type === 'remediation_finished')!.payload).toMatchObject({ outcome: 'ok', fix: true, attempt: 1, notify: ['ops'] });
    const progress = timeline.filter((e) => e.type === 'verification_progress').map((e) => e.payload.line);
    expect(progress).toEqual(['Monitors: 0/1 passing (shop-health: no run since the fix)', 'Monitors: 1/1 passing']);

    // The rule's notify list heard how the remediation ended, through the existing notification path.
    expect(sink.requests.map((r) => (JSON.parse(r.body) as { event: string }).event)).toEqual(['remediation_finished']);
  });

  it('stops at max_auto_attempts when the action does not cure it, across a restart, and escalates', async () => {
    target = await startTargetService({ cure: 'never' });
    sink = await startRecordingServer();
    h = await openHarness(engine, config(target.url, `notifications: [{ name: ops, type: webhook, url: "${sink.url}/hook" }]`));
    const monitorId = await insertMonitor(h, 'shop-health', 'shop');
    const id = await h.ingest([alert({ name: 'ShopDown', service: 'shop', fingerprint: 'shop-down', startsAt: T0 - 60 * SEC })]);

    // Attempt 1 "succeeds" (the webhook answered 200), so verification watches for a minute.
    await h.runDue();
    expect((await target.stats()).restarts).toBe(1);
    for (let i = 0; i < 3; i++) {
      h.clock.advance(20 * SEC);
      expect(await checkShop(monitorId)).toBe('down');
      await h.runDue({ kinds: ['verify.service'] });
    }
    expect(await h.types(id)).toContain('verification_failed');
    expect((await incidentOf(h, id)).status).toBe('mitigating');

    // Medic restarts between the two attempts: the count lives in the database.
    await h.restart();
    await h.runDue();
    expect((await target.stats()).restarts).toBe(2);
    for (let i = 0; i < 3; i++) {
      h.clock.advance(20 * SEC);
      await checkShop(monitorId);
      await h.runDue();
    }
    // And once more after another restart: nothing left to try.
    await h.restart();
    h.clock.advance(60 * SEC);
    await h.runDue();

    expect((await target.stats()).restarts).toBe(2);
    const attempts = await listAttempts(h.core.rt.store.db, id);
    expect(attempts.map((a) => [a.attempt, a.status])).toEqual([[1, 'succeeded'], [2, 'succeeded']]);
    const timeline = await h.timeline(id);
    expect(timeline.filter((e) => e.type === 'verification_failed')).toHaveLength(2);
    const escalated = timeline.filter((e) => e.type === 'escalated');
    expect(escalated).toHaveLength(1);
    expect(escalated[0]!.payload).toMatchObject({ rule: 'ShopDown', attempts: 2, notify: ['ops'], reason: expect.stringContaining('2 of 2 automatic attempts') });
    const incident = await incidentOf(h, id);
    expect(incident).toMatchObject({ status: 'mitigating', resolvedAt: null, verifiedAt: null, diagnosedAt: T0 });
    expect(sink.requests.map((r) => (JSON.parse(r.body) as { event: string }).event)).toContain('escalated');
  });
});
