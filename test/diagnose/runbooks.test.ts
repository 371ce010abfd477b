import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { runbook as runbookSchema } from '../../src/config/index.js';
import { matchingRunbooks, runbookMatches } from '../../src/diagnose/index.js';
import { ingestAlerts, ofType } from '../../src/incidents/index.js';
import { openHarness, type AutomationHarness } from '../helpers/automation.js';
import { runCli } from '../helpers/cli.js';
import { alert } from '../helpers/incidents.js';
import { startRecordingServer, type RecordingServer } from '../helpers/recording-server.js';
import { ENGINES } from '../helpers/stores.js';
import { tempDir } from './helpers.js';

const rb = (raw: Record<string, unknown>) => runbookSchema.parse({ name: 'rb', steps: [{ name: 's', run: 'true' }], ...raw });

describe('runbook matching', () => {
  const labels = { alertname: 'payment_error_rate', service: 'payment-service', severity: 'P1', namespace: 'payments' };

  it('matches by alert name, by label matchers, by both, and every incident with neither', () => {
    expect(runbookMatches(rb({ alert: 'payment_error_rate' }), labels)).toBe(true);
    expect(runbookMatches(rb({ alert: ['other', 'payment_error_rate'] }), labels)).toBe(true);
    expect(runbookMatches(rb({ alert: 'other' }), labels)).toBe(false);
    expect(runbookMatches(rb({ match: { service: 'payment-service' } }), labels)).toBe(true);
    expect(runbookMatches(rb({ match: { service: 'payment-service', severity: '/P1|P2/' } }), labels)).toBe(true);
    expect(runbookMatches(rb({ match: { service: 'auth-service' } }), labels)).toBe(false);
    expect(runbookMatches(rb({ alert: 'payment_error_rate', match: { namespace: 'other' } }), labels)).toBe(false);
    expect(runbookMatches(rb({}), labels)).toBe(true);
    expect(matchingRunbooks([rb({ name: 'a', alert: 'x' }), rb({ name: 'b', match: { service: 'payment-service' } })], labels).map((r) => r.name)).toEqual(['b']);
  });
});

describe.each(ENGINES)('runbooks on incidents on %s', (engine) => {
  let h: AutomationHarness;
  let srv: RecordingServer | undefined;
  afterEach(async () => {
    await h?.close();
    await srv?.close();
    srv = undefined;
  });

  const runbookJobs = async () => (await h.core.queue.list(h.core.rt.store.db, { kind: 'diagnose.runbook' })).map((j) => j.idempotencyKey);

  it('enqueues each matching runbook once per incident, and once more per reopen', async () => {
    h = await openHarness(
      engine,
      `runbooks:
  - { name: payment-diagnostics, match: { service: payment }, steps: [{ name: a, run: "true" }] }
  - { name: by-alert, alert: HighErrorRate, steps: [{ name: a, run: "true" }] }
  - { name: elsewhere, match: { service: auth }, steps: [{ name: a, run: "true" }] }
`,
    );
    const id = await h.ingest([alert()]);
    h.clock.advance(60_000);
    await h.ingest([alert()]); // fires again: deduplicated, no new run
    expect(await runbookJobs()).toEqual([`runbook:${id}:payment-diagnostics:0`, `runbook:${id}:by-alert:0`]);

    await h.runDue();
    await ingestAlerts(h.core.incidents, [alert({ status: 'resolved' })], 'alertmanager');
    await h.runDue(); // nothing to watch: verified, closed
    expect((await h.timeline(id)).at(-1)?.type).toBe('verified');
    h.clock.advance(60_000);
    await h.ingest([alert()]); // within reopen_window: reopened
    expect(await runbookJobs()).toEqual([
      `runbook:${id}:payment-diagnostics:0`,
      `runbook:${id}:by-alert:0`,
      `runbook:${id}:payment-diagnostics:1`,
      `runbook:${id}:by-alert:1`,
    ]);
  });

  it('writes every step on the timeline, with output, exit code, duration and outcome, secrets redacted, and the report', async () => {
    h = await openHarness(
      engine,
      `runbooks:
  - name: payment-diagnostics
    match: { service: payment }
    steps:
      - { name: "Recent errors", run: 'echo "3 errors in $MEDIC_SERVICE for $MEDIC_ALERT_NAME (incident $MEDIC_INCIDENT_ID)"' }
      - { name: "Token check", run: 'echo "using $TOKEN"; exit 3', env: { TOKEN: "\${API_TOKEN}" } }
`,
      { env: { API_TOKEN: 'sk-live-abcdef123456' } },
    );
    const id = await h.ingest([alert()]);
    await h.runDue();
    const timeline = await h.timeline(id);
    const steps = timeline.filter((e) => e.type === 'runbook_step_finished');
    expect(steps.map((e) => e.payload.step).sort()).toEqual(['Recent errors', 'Token check']);
    const errors = steps.find((e) => e.payload.step === 'Recent errors')!.payload;
    expect(errors).toMatchObject({ runbook: 'payment-diagnostics', kind: 'run', ok: true, exit_code: 0, output: `3 errors in payment for HighErrorRate (incident ${id})\n` });
    expect(typeof errors.duration_ms).toBe('number');
    const token = steps.find((e) => e.payload.step === 'Token check')!.payload;
    expect(token).toMatchObject({ ok: false, exit_code: 3, output: 'using [REDACTED]\n', error: 'exited with code 3' });
    expect(JSON.stringify(timeline)).not.toContain('sk-live-abcdef123456');

    const started = timeline.findIndex((e) => e.type === 'runbook_started');
    const finished = timeline.findIndex((e) => e.type === 'runbook_finished');
    expect(started).toBeLessThan(timeline.indexOf(steps[0]!));
    expect(finished).toBeGreaterThan(timeline.indexOf(steps[1]!));
    const report = timeline.filter(ofType('runbook_finished'))[0]!.payload;
    expect(report).toMatchObject({ runbook: 'payment-diagnostics', ok: 1, failed: 1 });
    expect(report.report).toContain('=== Payment Diagnostic Report ===');
    expect(report.report).toContain('--- Recent errors ---\n3 errors in payment');
    expect(report.report).toContain('--- Token check ---\nusing [REDACTED]\n[failed · run · exit 3');
    expect(report.report).toContain('2 steps: 1 ok, 1 failed');
    // Diagnosis alone does not move the phases.
    expect((await h.core.rt.store.db.selectFrom('incidents').select(['diagnosed_at', 'status']).executeTakeFirstOrThrow())).toEqual({ diagnosed_at: null, status: 'open' });
  });

  it('runs steps in parallel, never more at once than the runbook allows, and reports them in order', async () => {
    let inFlight = 0;
    let most = 0;
    srv = await startRecordingServer(async (req) => {
      inFlight++;
      most = Math.max(most, inFlight);
      await new Promise((r) => setTimeout(r, 150));
      inFlight--;
      return { status: 200, body: `answer for ${req.url}` };
    });
    const steps = [1, 2, 3, 4, 5].map((i) => `      - { name: "step ${i}", http: "${srv!.url}/s${i}" }`).join('\n');
    h = await openHarness(engine, `runbooks:\n  - name: wide\n    concurrency: 2\n    steps:\n${steps}\n`);
    const id = await h.ingest([alert()]);
    await h.runDue();
    expect(most).toBe(2);
    const report = (await h.timeline(id)).find((e) => e.type === 'runbook_finished')!.payload.report as string;
    const order = [...report.matchAll(/--- (step \d) ---\nanswer for \/s(\d)/g)].map((m) => [m[1], m[2]]);
    expect(order).toEqual([['step 1', '1'], ['step 2', '2'], ['step 3', '3'], ['step 4', '4'], ['step 5', '5']]);
  });
});

describe('medic diagnose', () => {
  function writeConfig(dir: string): string {
    const file = path.join(dir, 'medic.yaml');
    writeFileSync(
      file,
      `storage: { url: "sqlite://${path.join(dir, 'medic.db')}" }
services:
  - { name: payment-service }
  - { name: auth-service }
runbooks:
  - name: payment-diagnostics
    match: { service: payment-service }
    steps:
      - { name: "Recent errors", run: 'echo "service=$MEDIC_SERVICE incident=$MEDIC_INCIDENT_ID alert=$MEDIC_ALERT_NAME"' }
      - { name: "Pod status", run: 'echo "2/3 pods ready"' }
  - name: auth-diagnostics
    match: { service: auth-service }
    steps:
      - { name: "Login probe", run: 'echo "login failing" >&2; exit 1' }
`,
    );
    return file;
  }

  it("prints the article's diagnostic report for the service's open incident", async () => {
    const dir = tempDir('medic-diagnose-');
    const file = writeConfig(dir);
    const h = await openHarness('sqlite', 'services: [{ name: payment-service }, { name: auth-service }]', { url: `sqlite://${path.join(dir, 'medic.db')}` });
    const id = await h.ingest([alert({ name: 'payment_error_rate', service: 'payment-service', severity: 'P1' })]);
    await h.core.rt.store.close();

    const r = await runCli(['diagnose', 'payment-service', '-c', file]);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^=== Payment Service Diagnostic Report ===\nGenerated: \d{4}-\d\d-\d\dT[\d:.]+Z\nIncident: #1 payment_error_rate \(P1, open\)\nRunbook: payment-diagnostics\n/);
    expect(r.stdout).toContain(`--- Recent errors ---\nservice=payment-service incident=${id} alert=payment_error_rate\n[ok · run · exit 0 · `);
    expect(r.stdout).toContain('--- Pod status ---\n2/3 pods ready\n');
    expect(r.stdout).toContain('2 steps: 2 ok, 0 failed');
  });

  it('runs with MEDIC_SERVICE alone when the service has no open incident, and exits 1 when a step failed', async () => {
    const file = writeConfig(tempDir('medic-diagnose-'));
    const r = await runCli(['diagnose', 'payment-service', '-c', file]);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('Incident: none open (run with MEDIC_SERVICE=payment-service only)');
    expect(r.stdout).toContain('service=payment-service incident=0 alert=\n');

    const failing = await runCli(['diagnose', 'auth-service', '-c', file]);
    expect(failing.code).toBe(1);
    expect(failing.stdout).toContain('--- Login probe ---\nlogin failing\n[failed · run · exit 1');

    const json = await runCli(['diagnose', 'payment-service', '--json', '-c', file]);
    expect(JSON.parse(json.stdout)).toMatchObject({ service: 'payment-service', incident: null, runs: [{ runbook: 'payment-diagnostics', steps: 2, failed: 0 }] });
  });

  it('exits 2 for a service the config does not know', async () => {
    const r = await runCli(['diagnose', 'nope', '-c', writeConfig(tempDir('medic-diagnose-'))]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('no service "nope" in services: (known: payment-service, auth-service)');
  });
});
