import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { Store } from '../../src/store/index.js';
import { apiClient, eventually, freePort, launchAll, READY, writeConfig, type MedicProcess } from '../helpers/cluster.js';
import { startPrivatePostgres, type PrivatePostgres } from '../helpers/private-postgres.js';
import { startRecordingServer, type RecordingServer } from '../helpers/recording-server.js';

/**
 * PostgreSQL restarted under a running api and two workers. The server is a private one (initdb in a
 * temp folder, its own port): restarting the shared server at 5432 would cut every other test file's
 * connections, in this run (files run two at a time) and in other runs on the machine.
 *
 * An alert sender keeps posting (one new alert at a time, retrying each until it is accepted, as
 * Alertmanager does) from before the restart until after it. Afterwards: every process is alive, every
 * alert is recorded once (one incident, one `opened`), ingest answered 503 while the server was down,
 * the workers backed off and resumed, jobs enqueued after the restart ran, and a runbook that was
 * running across the restart ran once, its result on the timeline once.
 */

interface Event {
  id: number;
  type: string;
  payload: Record<string, unknown>;
}

describe('a PostgreSQL restart under an api and two workers', () => {
  let pg: PrivatePostgres | undefined;
  const procs: MedicProcess[] = [];
  let receiver: RecordingServer | undefined;
  let store: Store | undefined;
  afterAll(async () => {
    await Promise.all(procs.map((p) => p.kill9()));
    await receiver?.close();
    await store?.close();
    await pg?.stop();
  });

  it('loses nothing, records nothing twice, and the job runners resume', async () => {
    pg = await startPrivatePostgres();
    receiver = await startRecordingServer();
    const url = `${pg.url}?schema=medic_restart`;
    const port = await freePort();
    const { dir, file } = writeConfig(
      [
        `server: { port: ${port}, host: 127.0.0.1 }`,
        `storage: { url: "${url}", pool_size: 4 }`,
        // Long enough that the slow runbook keeps its lease while renewals fail during the outage.
        `workers: { lease: 12s }`,
        `runbooks:\n  - name: slow-diagnostics\n    match: { service: slow }\n    steps:\n      - { name: Slow step, run: 'echo "$MEDIC_INCIDENT_ID" >> slow-runs.txt; sleep 6; echo done' }`,
        `notifications:\n  - { name: hook, type: webhook, url: "${receiver.url}/notify", events: [opened] }`,
        `routes:\n  - { notify: [hook] }`,
      ].join('\n'),
    );
    const started = await launchAll(procs, [
      ['api', ['start', '--role', 'api', '-c', file], READY.api],
      ['worker-1', ['worker', '-c', file], READY.worker],
      ['worker-2', ['worker', '-c', file], READY.worker],
    ]);
    const [api, ...workers] = started as [MedicProcess, MedicProcess, MedicProcess];
    const client = apiClient(`http://127.0.0.1:${port}`);

    // A runbook that will be running while the server restarts.
    const slow = await client.post<{ results: Array<{ incidentId: number }> }>('/api/alerts/webhook', { name: 'SlowThing', service: 'slow' });
    expect(slow.status).toBe(200);
    const slowId = slow.body.results[0]!.incidentId;
    const runs = path.join(dir, 'slow-runs.txt');
    await eventually('the slow runbook to start', async () => existsSync(runs), Boolean, 15_000, 50);

    // The sender: alert k for service svc-k, each retried until accepted.
    let sending = true;
    const statuses: number[] = [];
    const accepted: Array<{ k: number; incidentId: number; at: number }> = [];
    const sender = (async () => {
      for (let k = 1; sending; k++) {
        for (;;) {
          const r = await client.post<{ results: Array<{ incidentId: number }> }>('/api/alerts/webhook', { name: 'Down', service: `svc-${k}`, severity: 'P2' }).catch(() => ({ status: 0, body: undefined }));
          statuses.push(r.status);
          if (r.status === 200) {
            accepted.push({ k, incidentId: r.body!.results[0]!.incidentId, at: Date.now() });
            break;
          }
          await new Promise((res) => setTimeout(res, 100));
        }
        await new Promise((res) => setTimeout(res, 50));
      }
    })();

    await new Promise((r) => setTimeout(r, 700));
    const restartAt = Date.now();
    await pg.restart(1500);
    const backAt = Date.now();
    await new Promise((r) => setTimeout(r, 1500));
    sending = false;
    await sender;

    // Ingest saw the outage (503) and went on.
    expect(statuses).toContain(503);
    expect(accepted.some((a) => a.at < restartAt)).toBe(true);
    const after = accepted.filter((a) => a.at > backAt);
    expect(after.length).toBeGreaterThan(0);

    // Every accepted alert gets its notification: jobs enqueued after the restart run too.
    const expectedKeys = accepted.length + 1;
    await eventually('a notification for every incident', async () => new Set(receiver!.requests.map((r) => r.headers['x-medic-delivery'])).size, (n) => n === expectedKeys, 30_000, 200);
    await eventually('the slow runbook to finish', async () => (await client.get<{ timeline: Event[] }>(`/api/incidents/${slowId}`)).body.timeline, (t) => t.some((e) => e.type === 'runbook_step_finished'), 20_000, 200);

    store = await Store.open({ url });
    await eventually('every job to finish', () => store!.db.selectFrom('jobs').select(['id', 'kind', 'status']).execute(), (rows) => rows.every((r) => r.status === 'done'), 20_000, 200);

    // Every process lived through it (a worker has no server socket: with the pool's connections gone,
    // Node would exit if nothing held the process open).
    for (const p of procs) expect(p.output()).not.toMatch(/"level":60/);
    for (const p of procs) expect({ name: p.name, alive: p.alive() }).toEqual({ name: p.name, alive: true });

    // One incident per alert, each opened once and notified once (deliveries repeat only with the same
    // idempotency key: a delivery cut off by the outage is retried, and receivers dedup on the key).
    const incidents = await store.db.selectFrom('incidents').select(['id', 'service']).execute();
    expect(incidents).toHaveLength(accepted.length + 1);
    expect(new Set(incidents.map((i) => i.service)).size).toBe(incidents.length);
    const events = await store.db.selectFrom('incident_events').select(['incident_id', 'type']).execute();
    const perIncident = (type: string) => {
      const counts = new Map<number, number>();
      for (const e of events) if (e.type === type) counts.set(Number(e.incident_id), (counts.get(Number(e.incident_id)) ?? 0) + 1);
      return counts;
    };
    const opened = perIncident('opened');
    expect(opened.size).toBe(incidents.length);
    expect([...opened.values()].every((n) => n === 1)).toBe(true);
    const sent = perIncident('notification_sent');
    expect(sent.size).toBe(incidents.length);
    expect([...sent.values()].every((n) => n === 1)).toBe(true);
    for (const a of accepted) expect(incidents.find((i) => Number(i.id) === a.incidentId)?.service).toBe(`svc-${a.k}`);

    // The runbook that ran across the restart ran once, and its report is on the timeline once.
    expect(readFileSync(runs, 'utf8').trim().split('\n')).toEqual([String(slowId)]);
    expect(perIncident('runbook_step_finished').get(slowId)).toBe(1);

    // The workers noticed, backed off, and resumed; the api answered 503 rather than failing.
    for (const w of workers) {
      const lines = w.logs().map((l) => String(l.msg));
      expect(lines.some((m) => m.startsWith('claiming jobs failed'))).toBe(true);
      expect(lines.some((m) => m.includes('the job runner resumes'))).toBe(true);
    }
    expect(api.logs().some((l) => l.msg === 'request failed: the database is unavailable')).toBe(true);
  }, 60_000);
});
