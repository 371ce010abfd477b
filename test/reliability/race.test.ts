import { readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { Store } from '../../src/store/index.js';
import { apiClient, eventually, freePort, launchAll, READY, writeConfig, type MedicProcess } from '../helpers/cluster.js';
import { startRecordingServer, type RecordingServer } from '../helpers/recording-server.js';
import { testDatabaseUrl } from '../helpers/stores.js';

/**
 * Scale-out, with real processes on one PostgreSQL schema: one `medic start --role api` and two
 * `medic worker`s. The same alert arrives many times at once; the workers race for every job it causes.
 * Whatever the interleaving: one incident, one runbook run, exactly `max_auto_attempts` remediation
 * attempts (the action "works" — a webhook answering 200 — but the service never recovers: Prometheus
 * keeps saying 50% errors, so each verification fails and the next attempt follows), each verification
 * evaluated by one worker at a time, and each notification delivered once.
 */

const ATTEMPTS = 3;
const POSTS = 60;

interface Event {
  id: number;
  type: string;
  payload: Record<string, unknown>;
}

describe('one api and two workers on one PostgreSQL schema', () => {
  const procs: MedicProcess[] = [];
  const servers: RecordingServer[] = [];
  let store: Store | undefined;
  afterAll(async () => {
    await Promise.all(procs.map((p) => p.kill9()));
    await Promise.all(servers.map((s) => s.close()));
    await store?.close();
  });

  it('opens one incident and does every reaction exactly once', async () => {
    const receiver = await startRecordingServer(() => ({ status: 200, body: { ok: true } }));
    // A Prometheus that always says the service is failing: 50% errors.
    const prometheus = await startRecordingServer(() => ({ status: 200, body: { status: 'success', data: { resultType: 'vector', result: [{ metric: {}, value: [Date.now() / 1000, '0.5'] }] } } }));
    servers.push(receiver, prometheus);
    const { url } = testDatabaseUrl('postgres');
    const port = await freePort();
    const { dir, file } = writeConfig(
      [
        `server: { port: ${port}, host: 127.0.0.1 }`,
        `storage: { url: "${url}", pool_size: 4 }`,
        `workers: { lease: 3s }`,
        `prometheus: { url: "${prometheus.url}" }`,
        `services:\n  - name: payment\n    metrics: { error_rate: 'sum(rate(errors_total[1m]))' }`,
        `verification: { window: 1500ms, interval: 500ms }`,
        `runbooks:\n  - name: payment-diagnostics\n    match: { service: payment }\n    steps:\n      - { name: Record the run, run: 'echo "$MEDIC_INCIDENT_ID" >> runbook-runs.txt' }`,
        `remediation:\n  - alert: PaymentErrors\n    action: { type: webhook, url: "${receiver.url}/fix", max_auto_attempts: ${ATTEMPTS}, cooldown: 0s, notify: [hook] }`,
        `notifications:\n  - { name: hook, type: webhook, url: "${receiver.url}/notify" }`,
        `routes:\n  - { notify: [hook] }`,
      ].join('\n'),
    );
    const [, ...workers] = await launchAll(procs, [
      ['api', ['start', '--role', 'api', '-c', file], READY.api],
      ['worker-1', ['worker', '-c', file, '--location', 'a'], READY.worker, { env: { MEDIC_LOG_LEVEL: 'debug' } }],
      ['worker-2', ['worker', '-c', file, '--location', 'b'], READY.worker, { env: { MEDIC_LOG_LEVEL: 'debug' } }],
    ]);
    const client = apiClient(`http://127.0.0.1:${port}`);

    // Many identical deliveries at once, as Alertmanager's HA pairs and retries produce them.
    const alert = { name: 'PaymentErrors', service: 'payment', severity: 'P1', fingerprint: 'payment-errors', labels: { team: 'payments' } };
    const answers = await Promise.all(Array.from({ length: POSTS }, () => client.post<{ results: Array<{ incidentId: number }> }>('/api/alerts/webhook', alert)));
    expect(answers.map((a) => a.status)).toEqual(Array(POSTS).fill(200));
    const ids = new Set(answers.map((a) => a.body.results[0]!.incidentId));
    expect([...ids]).toHaveLength(1);
    const incidentId = [...ids][0]!;

    // The chain ends when the last attempt's verification fails and the rule escalates.
    const timeline = async () => (await client.get<{ timeline: Event[] }>(`/api/incidents/${incidentId}`)).body.timeline;
    await eventually('the escalation', timeline, (t) => t.some((e) => e.type === 'escalated'), 45_000, 250);
    store = await Store.open({ url });
    // Let the last notifications go out, then look at everything.
    await eventually('every notification job to finish', () => store!.db.selectFrom('jobs').select(['status']).where('kind', '=', 'notify.deliver').execute(), (rows) => rows.every((r) => r.status === 'done'), 15_000);
    await new Promise((r) => setTimeout(r, 600));
    const final = await timeline();
    const count = (type: string) => final.filter((e) => e.type === type).length;

    const incidents = await client.get<{ total: number }>('/api/incidents');
    expect(incidents.body.total).toBe(1);
    expect(count('opened')).toBe(1);

    // One runbook run: one job, one report on the timeline, one execution of the step.
    expect(await store.db.selectFrom('jobs').select('id').where('kind', '=', 'diagnose.runbook').execute()).toHaveLength(1);
    expect(count('runbook_step_finished')).toBe(1);
    expect(readFileSync(path.join(dir, 'runbook-runs.txt'), 'utf8').trim().split('\n')).toEqual([String(incidentId)]);

    // Exactly max_auto_attempts attempts, each run once; one escalation.
    const attempts = await store.db.selectFrom('remediation_attempts').select(['attempt', 'status']).where('incident_id', '=', incidentId).orderBy('attempt').execute();
    expect(attempts.map((a) => [a.attempt, a.status])).toEqual(Array.from({ length: ATTEMPTS }, (_, i) => [i + 1, 'succeeded']));
    expect(receiver.requests.filter((r) => r.url === '/fix')).toHaveLength(ATTEMPTS);
    expect(count('remediation_started')).toBe(ATTEMPTS);
    expect(count('remediation_finished')).toBe(ATTEMPTS);
    expect(count('escalated')).toBe(1);

    // One verification per fix, each evaluated by one worker at a time: numbered 1, 2, 3… without a
    // repeat, one Prometheus query per evaluation, and one verdict.
    expect(count('verification_started')).toBe(ATTEMPTS);
    expect(count('verification_failed')).toBe(ATTEMPTS);
    const perFix: number[][] = [];
    for (const e of final) {
      if (e.type === 'verification_started') perFix.push([]);
      if (e.type === 'verification_progress') perFix.at(-1)!.push(Number(e.payload.evaluation));
    }
    expect(perFix).toHaveLength(ATTEMPTS);
    for (const evaluations of perFix) expect(evaluations).toEqual(evaluations.map((_, i) => i + 1));
    expect(prometheus.requests).toHaveLength(count('verification_progress'));

    // Each notification once: one delivery per notifiable event (the route's channel, and the rule's
    // notify: names the same one), none twice.
    const deliveries = receiver.requests.filter((r) => r.url === '/notify');
    const keys = deliveries.map((r) => String(r.headers['x-medic-delivery']));
    expect(new Set(keys).size).toBe(keys.length);
    const notifiable = final.filter((e) => ['opened', 'remediation_finished', 'escalated'].includes(e.type));
    expect(deliveries).toHaveLength(notifiable.length);
    expect(deliveries.map((d) => (JSON.parse(d.body) as { event: string }).event).sort()).toEqual(notifiable.map((e) => e.type).sort());
    expect(count('notification_sent')).toBe(notifiable.length);

    // Nothing was left behind or failed, and no process died on the way.
    const jobs = (await store.db.selectFrom('jobs').select(['id', 'kind', 'status', 'attempts']).execute()).map((j) => ({ ...j, id: Number(j.id) }));
    expect(jobs.filter((j) => j.status !== 'done')).toEqual([]);
    for (const p of procs) expect({ name: p.name, alive: p.alive(), errors: p.output().match(/"level":(50|60).*/g) ?? [] }).toEqual({ name: p.name, alive: true, errors: [] });
    // From the workers' side: each job finished once, by one of them (verifications pass from one to
    // the other between evaluations; which worker does what varies from run to run).
    const done = workers.flatMap((w) => w.logs().filter((l) => l.msg === 'job done').map((l) => Number(l.jobId)));
    expect(done.sort((a, b) => a - b)).toEqual(jobs.map((j) => j.id).sort((a, b) => a - b));
  }, 60_000);
});
