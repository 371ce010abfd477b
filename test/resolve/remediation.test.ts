import { afterEach, describe, expect, it } from 'vitest';
import { remediationRule } from '../../src/config/index.js';
import { ingestAlerts } from '../../src/incidents/index.js';
import { decide, listAttempts, matchingRules, ruleMatches, remediateJobPayload } from '../../src/resolve/index.js';
import { incidentOf, insertCheckResult, insertMonitor, openHarness, type AutomationHarness } from '../helpers/automation.js';
import { alert, T0 } from '../helpers/incidents.js';
import { startRecordingServer, type RecordingServer } from '../helpers/recording-server.js';
import { ENGINES } from '../helpers/stores.js';

const SEC = 1000;
const rule = (raw: Record<string, unknown>) => remediationRule.parse({ action: { type: 'run', command: 'true' }, ...raw });

describe('remediation rule matching', () => {
  const firing = { name: 'PodCrashLooping', labels: { alertname: 'PodCrashLooping', service: 'payment', namespace: 'payments' } };
  it('matches enabled rules by alert name, by label matchers, or both', () => {
    expect(ruleMatches(rule({ alert: 'PodCrashLooping' }), firing)).toBe(true);
    expect(ruleMatches(rule({ alert: 'Other' }), firing)).toBe(false);
    expect(ruleMatches(rule({ match: { namespace: 'payments' } }), firing)).toBe(true);
    expect(ruleMatches(rule({ match: { namespace: '/pay.*/', service: 'payment' } }), firing)).toBe(true);
    expect(ruleMatches(rule({ alert: 'PodCrashLooping', match: { namespace: 'workers' } }), firing)).toBe(false);
    expect(ruleMatches(rule({ alert: 'PodCrashLooping', enabled: false }), firing)).toBe(false);
    expect(matchingRules([rule({ name: 'a', alert: 'PodCrashLooping' }), rule({ name: 'b', alert: 'x' })], firing).map((r) => r.name)).toEqual(['a']);
  });
});

describe.each(ENGINES)('remediation on %s', (engine) => {
  let h: AutomationHarness;
  let srv: RecordingServer;
  afterEach(async () => {
    await h?.close();
    await srv?.close();
  });

  const requests = () => srv.requests.filter((r) => r.url === '/fix').length;

  it('records the cause (diagnosed_at) and the match with the alert, once per incident, with the rule notify list', async () => {
    srv = await startRecordingServer();
    h = await openHarness(
      engine,
      `
notifications: [{ name: "#payments-team", type: webhook, url: "${srv.url}/notify" }]
remediation:
  - alert: HighErrorRate
    cause: "bad deploy of the payment API"
    action: { type: webhook, url: "${srv.url}/fix", max_auto_attempts: 2, notify: ["#payments-team"] }
  - { name: off, alert: HighErrorRate, enabled: false, action: { type: webhook, url: "${srv.url}/off" } }
  - { name: by-label, match: { pod: "/api-.*/" }, action: { type: webhook, url: "${srv.url}/pod", dry_run: true } }
`,
    );
    const id = await h.ingest([alert({ startsAt: T0 - 30 * SEC })]);
    const timeline = await h.timeline(id);
    expect(timeline.map((e) => [e.type, e.actor])).toEqual([
      ['opened', 'alertmanager'],
      ['alert_fired', 'alertmanager'],
      ['cause_identified', 'HighErrorRate'],
      ['remediation_matched', 'HighErrorRate'],
    ]);
    expect(timeline[3]!.payload).toMatchObject({ rule: 'HighErrorRate', action: 'webhook', would: `POST ${srv.url}/fix with the incident as JSON`, max_auto_attempts: 2, notify: ['#payments-team'] });
    expect(await incidentOf(h, id)).toMatchObject({ diagnosedAt: T0, cause: 'bad deploy of the payment API', phases: { detect_ms: 30 * SEC, diagnose_ms: 0 } });

    // The same alert again: the chain already exists. A grouped alert with its own labels matches by-label.
    h.clock.advance(10 * SEC);
    await h.ingest([alert()]);
    await h.ingest([alert({ name: 'PodRestarts', fingerprint: 'pods', labels: { alertname: 'PodRestarts', service: 'payment', pod: 'api-7f9c' } })]);
    const types = (await h.timeline(id)).map((e) => [e.type, e.actor]);
    expect(types.filter(([t]) => t === 'remediation_matched')).toEqual([['remediation_matched', 'HighErrorRate'], ['remediation_matched', 'by-label']]);
    expect((await h.core.queue.list(h.core.rt.store.db, { kind: 'resolve.remediate' })).map((j) => j.idempotencyKey)).toEqual([`remediate:${id}:HighErrorRate:0`, `remediate:${id}:by-label:0`]);

    await h.runDue();
    const finished = (await h.timeline(id)).filter((e) => e.type === 'remediation_finished');
    expect(finished.map((e) => e.payload.rule).sort()).toEqual(['HighErrorRate', 'by-label']);
    // The rule's channel heard about its remediation through the notification reactor.
    expect(srv.requests.filter((r) => r.url === '/notify').map((r) => JSON.parse(r.body).event)).toEqual(['remediation_finished']);
    expect(srv.requests.some((r) => r.url === '/off' || r.url === '/pod')).toBe(false);
  });

  it('dry run: records what would run, runs nothing, fixes nothing', async () => {
    srv = await startRecordingServer();
    h = await openHarness(engine, `remediation:\n  - alert: HighErrorRate\n    action: { type: webhook, url: "${srv.url}/fix", dry_run: true, max_auto_attempts: 3 }\n`);
    const id = await h.ingest([alert()]);
    await h.runDue();
    h.clock.advance(60 * SEC);
    await h.runDue();
    expect(requests()).toBe(0);
    const finished = (await h.timeline(id)).filter((e) => e.type === 'remediation_finished');
    expect(finished).toHaveLength(1);
    expect(finished[0]!.payload).toMatchObject({ dry_run: true, outcome: 'ok', output: `dry run: would POST ${srv.url}/fix with the incident as JSON` });
    expect(finished[0]!.payload.fix).toBeUndefined();
    expect(await incidentOf(h, id)).toMatchObject({ resolvedAt: null, status: 'mitigating' });
    expect((await listAttempts(h.core.rt.store.db, id)).map((a) => [a.status, a.dryRun])).toEqual([['dry_run', true]]);
  });

  it('a failing action: the next attempt waits for the cooldown; at max_auto_attempts the incident escalates', async () => {
    srv = await startRecordingServer(() => ({ status: 500, body: 'restart failed: pods pending' }));
    h = await openHarness(engine, `remediation:\n  - alert: HighErrorRate\n    action: { type: webhook, url: "${srv.url}/fix", max_auto_attempts: 3, cooldown: 30s }\n`);
    const id = await h.ingest([alert()]);
    await h.runDue();
    expect(requests()).toBe(1);
    h.clock.advance(29 * SEC);
    await h.runDue();
    expect(requests()).toBe(1); // still cooling down
    h.clock.advance(1 * SEC);
    await h.runDue();
    expect(requests()).toBe(2);
    h.clock.advance(30 * SEC);
    await h.runDue();
    h.clock.advance(30 * SEC);
    await h.runDue();
    expect(requests()).toBe(3);

    const timeline = await h.timeline(id);
    const finished = timeline.filter((e) => e.type === 'remediation_finished');
    expect(finished.map((e) => [e.payload.attempt, e.payload.outcome, e.at - T0])).toEqual([[1, 'failed', 0], [2, 'failed', 30 * SEC], [3, 'failed', 60 * SEC]]);
    expect(finished[0]!.payload).toMatchObject({ ok: false, output: 'restart failed: pods pending', error: `POST ${srv.url}/fix answered HTTP 500`, details: { statusCode: 500 } });
    expect(timeline.filter((e) => e.type === 'remediation_started')).toHaveLength(3);
    expect(timeline.filter((e) => e.type === 'escalated').map((e) => e.payload)).toEqual([
      { rule: 'HighErrorRate', attempts: 3, reason: 'HighErrorRate made 3 of 3 automatic attempts and the service has not recovered' },
    ]);
    expect(await incidentOf(h, id)).toMatchObject({ status: 'mitigating', resolvedAt: null });
  });

  it('stops an action at its timeout and counts it as failed', async () => {
    srv = await startRecordingServer(() => 'hang');
    h = await openHarness(engine, `remediation:\n  - alert: HighErrorRate\n    action: { type: webhook, url: "${srv.url}/fix", timeout: 500ms }\n`);
    const id = await h.ingest([alert()]);
    await h.runDue();
    const finished = (await h.timeline(id)).find((e) => e.type === 'remediation_finished')!;
    expect(finished.payload).toMatchObject({ outcome: 'failed', error: 'timed out after 500ms' });
    expect((await h.timeline(id)).at(-1)).toMatchObject({ type: 'escalated', payload: { attempts: 1 } });
  });

  it('acts on firing alerts only: once the alert resolves, no further attempt runs', async () => {
    srv = await startRecordingServer(() => ({ status: 503 }));
    h = await openHarness(engine, `remediation:\n  - alert: HighErrorRate\n    action: { type: webhook, url: "${srv.url}/fix", max_auto_attempts: 3, cooldown: 30s }\n`);
    const id = await h.ingest([alert()]);
    await h.runDue();
    h.clock.advance(10 * SEC);
    await ingestAlerts(h.core.incidents, [alert({ status: 'resolved' })], 'alertmanager');
    h.clock.advance(60 * SEC);
    await h.runDue();
    expect(requests()).toBe(1);
    const types = await h.types(id);
    expect(types).not.toContain('escalated');
    expect(types.slice(-2)).toEqual(['resolved', 'verified']); // the source's resolve, nothing to watch
  });

  it('when the alert stops firing but recovery is not verified, the chain stops and people are called', async () => {
    srv = await startRecordingServer(() => ({ status: 500 }));
    h = await openHarness(
      engine,
      `services: [{ name: payment }]
verification: { window: 1m, interval: 30s }
remediation:\n  - alert: HighErrorRate\n    action: { type: webhook, url: "${srv.url}/fix", max_auto_attempts: 3, cooldown: 5m }\n`,
    );
    const monitor = await insertMonitor(h, 'checkout', 'payment');
    const id = await h.ingest([alert()]);
    await h.runDue(); // attempt 1 fails; the next waits for the cooldown
    h.clock.advance(10 * SEC);
    await ingestAlerts(h.core.incidents, [alert({ status: 'resolved' })], 'alertmanager'); // the source says resolved
    await h.runDue();
    for (let i = 0; i < 2; i++) {
      h.clock.advance(30 * SEC);
      await insertCheckResult(h, monitor, 'down', h.clock.now(), 'HTTP 500');
      await h.runDue();
    }
    expect(await h.types(id)).toContain('verification_failed');
    expect(await h.types(id)).not.toContain('escalated'); // the chain is still waiting for its cooldown
    h.clock.advance(5 * 60 * SEC);
    await h.runDue();
    expect(requests()).toBe(1);
    expect((await h.timeline(id)).filter((e) => e.type === 'escalated').map((e) => e.payload.reason)).toEqual([
      'the alert HighErrorRate no longer fires, but recovery was not verified; HighErrorRate stops after 1 attempt',
    ]);
  });

  it('a worker that died mid-action: after a restart its attempt counts as failed and the next one runs, within the limit', async () => {
    srv = await startRecordingServer();
    h = await openHarness(engine, `remediation:\n  - alert: HighErrorRate\n    action: { type: webhook, url: "${srv.url}/fix", max_auto_attempts: 2, timeout: 10s, cooldown: 5s }\n`);
    const id = await h.ingest([alert()]);
    const [job] = await h.core.queue.list(h.core.rt.store.db, { kind: 'resolve.remediate' });
    // The first worker allocates attempt 1 and starts it, then the process is killed.
    const decision = await decide(h.core.resolve, remediateJobPayload.parse(job!.payload), job!.id);
    expect(decision.kind).toBe('run');
    await h.restart();
    // Its lease would still be held; the row still says running: a new worker waits for it first.
    await h.runDue();
    expect(requests()).toBe(0);
    // Past its timeout and a grace period it is given up as failed; the cooldown then runs from there.
    h.clock.advance(10 * SEC + 30 * SEC);
    await h.runDue();
    expect(requests()).toBe(0);
    h.clock.advance(5 * SEC);
    await h.runDue();
    expect(requests()).toBe(1);
    expect((await listAttempts(h.core.rt.store.db, id)).map((a) => [a.attempt, a.status])).toEqual([[1, 'failed'], [2, 'succeeded']]);
    const finished = (await h.timeline(id)).filter((e) => e.type === 'remediation_finished').map((e) => e.payload);
    expect(finished[0]).toMatchObject({ attempt: 1, outcome: 'failed', error: expect.stringContaining('interrupted') });
    expect(finished[1]).toMatchObject({ attempt: 2, outcome: 'ok', fix: true });
    expect((await incidentOf(h, id)).status).toBe('closed'); // nothing to watch: verified at once
  });
});
