import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { loadConfigText } from '../../src/config/index.js';
import { appendToIncident, ingestAlerts, resolveIncident, verificationProgressPayload } from '../../src/incidents/index.js';
import { verificationSettings } from '../../src/verify/index.js';
import { openTestApp, type TestApp } from '../helpers/app.js';
import { incidentOf, insertCheckResult, insertMonitor, openHarness, type AutomationHarness } from '../helpers/automation.js';
import { runCli } from '../helpers/cli.js';
import { alert, T0 } from '../helpers/incidents.js';
import { ENGINES } from '../helpers/stores.js';
import { tempDir } from '../resolve/helpers.js';

const SEC = 1000;

describe('verification settings', () => {
  it("lays a service's own keys over the top-level ones, and only those", () => {
    const { config } = loadConfigText(
      `verification: { window: 10m, interval: 1m, max_error_rate: 2%, max_latency_p95: 800ms }
services:
  - { name: a, verification: { max_latency_p95: 300ms, stable_for: 2m } }
  - { name: b }
`,
      { env: {} },
    );
    expect(verificationSettings(config, 'a')).toEqual({ window: 600_000, interval: 60_000, max_error_rate: 0.02, max_latency_p95: 300, stable_for: 120_000 });
    expect(verificationSettings(config, 'b')).toEqual({ window: 600_000, interval: 60_000, max_error_rate: 0.02, max_latency_p95: 800 });
    expect(verificationSettings(config, null)).toEqual(verificationSettings(config, 'b'));
  });
});

describe.each(ENGINES)('recovery verification from monitors on %s', (engine) => {
  let h: AutomationHarness;
  afterEach(async () => h?.close());

  const SERVICES = `
services:
  - name: auth
    verification: { window: 2m, interval: 30s, stable_for: 1m }
  - { name: quiet }
verification: { window: 5m, interval: 30s }
`;

  async function resolvedIncident(service = 'auth') {
    const id = await h.ingest([alert({ service, fingerprint: service, startsAt: T0 - 60 * SEC })]);
    h.clock.advance(10 * SEC);
    await resolveIncident(h.core.incidents, id, 'restarted by hand', 'alice');
    return id;
  }

  /** auth's two monitors after a fix: none run, then login down and api up, then login up three times. */
  async function recoverOverTwoMinutes() {
    h = await openHarness(engine, SERVICES);
    const login = await insertMonitor(h, 'login', 'auth');
    const api = await insertMonitor(h, 'api', 'auth');
    await insertCheckResult(h, login, 'up', T0); // before the fix: proves nothing
    const id = await resolvedIncident();
    await h.runDue();
    h.clock.advance(30 * SEC);
    await insertCheckResult(h, login, 'down', h.clock.now(), 'HTTP 503');
    await insertCheckResult(h, api, 'up');
    await h.runDue();
    for (let i = 0; i < 3; i++) {
      h.clock.advance(30 * SEC);
      await insertCheckResult(h, login, 'up');
      await h.runDue();
    }
    return { id, fixedAt: T0 + 10 * SEC };
  }

  it('verifies once every monitor has passed since the fix, for stable_for, and closes the incident', async () => {
    const { id, fixedAt } = await recoverOverTwoMinutes();

    const timeline = await h.timeline(id);
    expect(timeline.find((e) => e.type === 'verification_started')!.payload).toMatchObject({ window_ms: 120_000, interval_ms: 30_000, stable_for_ms: 60_000, watching: ['monitors'] });
    expect(timeline.filter((e) => e.type === 'verification_progress').map((e) => [e.at - fixedAt, e.payload.healthy, e.payload.line])).toEqual([
      [0, false, 'Monitors: 0/2 passing (api: no run since the fix; login: no run since the fix)'],
      [30 * SEC, false, 'Monitors: 1/2 passing (login: down (HTTP 503))'],
      [60 * SEC, true, 'Monitors: 2/2 passing'],
      [90 * SEC, true, 'Monitors: 2/2 passing'],
      [120 * SEC, true, 'Monitors: 2/2 passing'],
    ]);
    expect(timeline.at(-1)).toMatchObject({ type: 'verified', payload: { evaluations: 5, message: '✓ auth is healthy (Monitors: 2/2 passing). Recovery confirmed.' } });
    expect(await incidentOf(h, id)).toMatchObject({ status: 'closed', resolvedAt: fixedAt, verifiedAt: fixedAt + 120 * SEC, phases: { verify_ms: 120 * SEC } });
  });

  it('says in each progress event what it checked and its figures, on the timeline and in medic incident show', async () => {
    const { id } = await recoverOverTwoMinutes();

    const progress = (await h.timeline(id)).filter((e) => e.type === 'verification_progress').map((e) => verificationProgressPayload.parse(e.payload));
    expect(progress.map((p) => p.summary)).toEqual([
      'monitor api: no run since the fix; monitor login: no run since the fix — not healthy, 0s of the 2m window',
      'monitor api: 1/1 runs passed since the fix; monitor login: 0/1 runs passed since the fix, the last down (HTTP 503) — not healthy, 30s of the 2m window',
      'monitor api: 1/1 runs passed since the fix; monitor login: 1/2 runs passed since the fix — healthy for 0s of 1m',
      'monitor api: 1/1 runs passed since the fix; monitor login: 2/3 runs passed since the fix — healthy for 30s of 1m',
      'monitor api: 1/1 runs passed since the fix; monitor login: 3/4 runs passed since the fix — healthy for 1m of 1m',
    ]);
    expect(progress[1]).toMatchObject({
      healthy: false,
      evaluation: 2,
      elapsed_ms: 30 * SEC,
      window_ms: 120 * SEC,
      healthy_for_ms: null,
      stable_for_ms: 60 * SEC,
      monitors: [
        { name: 'api', state: 'passing', status: 'up', runs: 1, passing_runs: 1 },
        { name: 'login', state: 'failing', status: 'down', error: 'HTTP 503', runs: 1, passing_runs: 0 },
      ],
    });
    expect(progress[3]).toMatchObject({ healthy: true, healthy_for_ms: 30 * SEC });

    // The terminal's timeline prints each one with its figures, and the verdict.
    const file = path.join(tempDir('medic-verify-show-'), 'medic.yaml');
    writeFileSync(file, `storage: { url: "${h.url}" }\n`);
    const show = await runCli(['incident', 'show', String(id), '-c', file]);
    expect(show.code, show.stderr).toBe(0);
    const lines = show.stdout.split('\n').filter((l) => /system\s+(verifying|✓)/.test(l)).map((l) => l.replace(/^.*?system\s+/, ''));
    expect(lines).toEqual([...progress.map((p) => `verifying: ${p.summary}`), '✓ auth is healthy (Monitors: 2/2 passing). Recovery confirmed.']);
  });

  it('fails when the window ends unhealthy: resolved_at is cleared and, with no remediation left, people are called', async () => {
    h = await openHarness(engine, SERVICES);
    const login = await insertMonitor(h, 'login', 'auth');
    const id = await resolvedIncident();
    await h.runDue();
    for (let i = 0; i < 4; i++) {
      h.clock.advance(30 * SEC);
      await insertCheckResult(h, login, 'down', h.clock.now(), 'HTTP 503');
      await h.runDue();
    }
    const types = await h.types(id);
    expect(types.slice(-2)).toEqual(['verification_failed', 'escalated']);
    const timeline = await h.timeline(id);
    expect(timeline.at(-2)!.payload).toMatchObject({
      reason: '✗ auth did not recover within 2m (last: Monitors: 0/1 passing (login: down (HTTP 503)); healthy means error rate under 1%, p95 under 500 ms, monitors passing)',
    });
    expect(timeline.at(-1)!.payload).toMatchObject({ reason: expect.stringMatching(/no automatic remediation is left/) });
    expect(await incidentOf(h, id)).toMatchObject({ status: 'mitigating', resolvedAt: null, verifiedAt: null });
  });

  it('takes the fix as verified at once when there is nothing to watch, and says so', async () => {
    h = await openHarness(engine, SERVICES);
    const id = await resolvedIncident('quiet');
    await h.runDue();
    const last = (await h.timeline(id)).at(-1)!;
    expect(last).toMatchObject({ type: 'verified', payload: { nothing_to_watch: true, message: 'nothing to watch: quiet has no monitors and no metrics, so the fix is taken as verified' } });
    expect(await incidentOf(h, id)).toMatchObject({ status: 'closed', verifiedAt: T0 + 10 * SEC });
  });

  it('starts exactly one verification per fix', async () => {
    h = await openHarness(engine, SERVICES);
    const login = await insertMonitor(h, 'login', 'auth');
    const id = await resolvedIncident();
    // More fix events while the first fix is being verified belong to the same recovery.
    await appendToIncident(h.core.incidents, id, [{ type: 'flag_changed', actor: 'bob', payload: { flag: 'x', fix: true } }]);
    await appendToIncident(h.core.incidents, id, [{ type: 'rolled_back', actor: 'bob', payload: { service: 'auth', ok: true, fix: true } }]);
    const jobs = () => h.core.queue.list(h.core.rt.store.db, { kind: 'verify.service' });
    expect(await jobs()).toHaveLength(1);
    await h.runDue();
    for (let i = 0; i < 4; i++) {
      h.clock.advance(30 * SEC);
      await h.runDue();
    }
    expect(await h.types(id)).toContain('verification_failed');
    // A new fix after the failure is verified anew.
    await appendToIncident(h.core.incidents, id, [{ type: 'rolled_back', actor: 'bob', payload: { service: 'auth', ok: true, fix: true } }]);
    expect((await jobs()).map((j) => j.status)).toEqual(['done', 'pending']);
    await insertCheckResult(h, login, 'up');
    await h.runDue();
    h.clock.advance(30 * SEC);
    await insertCheckResult(h, login, 'up');
    await h.runDue();
    h.clock.advance(30 * SEC);
    await h.runDue();
    expect((await incidentOf(h, id)).status).toBe('closed');
  });
});

describe('POST /api/services/:name/verify', () => {
  let t: TestApp;
  afterEach(async () => t?.close());

  it("starts a verification of the service's open incident", async () => {
    t = await openTestApp({ config: 'services: [{ name: auth }, { name: billing }]' });
    const post = (name: string, role: 'viewer' | 'responder' = 'responder') => t.app.inject({ method: 'POST', url: `/api/services/${name}/verify`, headers: t.as(role) });
    expect((await post('auth', 'viewer')).statusCode).toBe(403);
    expect((await post('nope')).statusCode).toBe(404);
    const none = await post('billing');
    expect(none.statusCode).toBe(409);
    expect(none.json().message).toContain('billing has no open incident to verify');

    const [r] = await ingestAlerts(t.core.incidents, [alert({ service: 'auth' })], 'alertmanager');
    const res = await post('auth');
    expect(res.statusCode).toBe(202);
    expect(res.json()).toMatchObject({ incidentId: r!.incidentId });
    const jobs = await t.core.queue.list(t.rt.store.db, { kind: 'verify.service' });
    expect(jobs.map((j) => [j.id, j.payload])).toEqual([[res.json().jobId, { incidentId: r!.incidentId, fixEventId: null, since: t.clock.now() }]]);
  });
});

describe('medic verify', () => {
  async function setup(status: 'up' | 'down' | null) {
    const dir = tempDir('medic-verify-');
    const url = `sqlite://${path.join(dir, 'medic.db')}`;
    const file = path.join(dir, 'medic.yaml');
    const config = 'services: [{ name: auth }, { name: quiet }]';
    writeFileSync(file, `storage: { url: "${url}" }\n${config}\n`);
    const h = await openHarness('sqlite', config, { url });
    if (status) {
      const id = await insertMonitor(h, 'login', 'auth');
      await insertCheckResult(h, id, status, Date.now(), status === 'down' ? 'HTTP 503' : null);
    }
    await h.core.rt.store.close();
    return file;
  }

  it('prints each evaluation and ✓, exit 0, once the service is healthy', async () => {
    const r = await runCli(['verify', 'auth', '--window', '5s', '--interval', '2s', '-c', await setup('up')]);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^\[\d\d:\d\d:\d\d\] Monitors: 1\/1 passing\n✓ Service metrics are healthy\. Recovery confirmed\.\n$/);
  });

  it('prints ✗ and exits 1 when the window ends unhealthy', async () => {
    const r = await runCli(['verify', 'auth', '--window', '1s', '--interval', '500ms', '-c', await setup('down')]);
    expect(r.code).toBe(1);
    const lines = r.stdout.trimEnd().split('\n');
    expect(lines.length).toBeGreaterThanOrEqual(3);
    expect(lines.slice(0, -1).every((l) => /^\[\d\d:\d\d:\d\d\] Monitors: 0\/1 passing \(login: down \(HTTP 503\)\)$/.test(l))).toBe(true);
    expect(lines.at(-1)).toBe('✗ Service did not recover within the expected window.');
  });

  it('says when there is nothing to watch, and refuses bad input', async () => {
    const file = await setup(null);
    const r = await runCli(['verify', 'quiet', '-c', file]);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('✓ nothing to watch: quiet has no monitors and no metrics');
    expect((await runCli(['verify', 'quiet', '--window', 'soon', '-c', file])).code).toBe(2);
    expect((await runCli(['verify', 'nope', '-c', file])).code).toBe(2);
  });
});
