import { afterEach, describe, expect, it } from 'vitest';
import { apiClient, eventually, freePort, launch, READY, writeConfig, type MedicProcess } from '../helpers/cluster.js';
import { runCli } from '../helpers/cli.js';
import { startRecordingServer, type RecordingServer } from '../helpers/recording-server.js';
import { testDatabaseUrl } from '../helpers/stores.js';

/**
 * The process roles as real processes on one PostgreSQL schema: `medic start --role api` serves the
 * API and enqueues, and runs no job; `medic worker` runs them and serves nothing but its optional
 * health and metrics listener. Both stop gracefully on SIGTERM, and every log line names role,
 * location and worker.
 */
describe('process roles', () => {
  const procs: MedicProcess[] = [];
  let hook: RecordingServer | undefined;
  afterEach(async () => {
    await Promise.all(procs.splice(0).map((p) => p.kill9()));
    await hook?.close();
    hook = undefined;
  });

  it('splits the API from the work: the api role enqueues, a worker delivers', async () => {
    hook = await startRecordingServer();
    const port = await freePort();
    const { url } = testDatabaseUrl('postgres');
    const { file } = writeConfig(
      [
        `server: { port: ${port}, host: 127.0.0.1 }`,
        `storage: { url: "${url}" }`,
        `notifications:\n  - { name: hook, type: webhook, url: "${hook.url}/notify", events: [opened] }`,
        `routes:\n  - { notify: [hook] }`,
      ].join('\n'),
    );
    const api = await launch('api', ['start', '--role', 'api', '-c', file], READY.api);
    procs.push(api);
    const client = apiClient(`http://127.0.0.1:${port}`);
    const posted = await client.post<{ results: Array<{ incidentId: number }> }>('/api/alerts/webhook', { name: 'DiskFull', service: 'db', severity: 'P2' });
    expect(posted.status).toBe(200);
    const incidentId = posted.body.results[0]!.incidentId;
    expect(incidentId).toBeGreaterThan(0);

    // The notification job waits: no process runs jobs yet.
    await new Promise((r) => setTimeout(r, 1500));
    expect(hook.requests).toHaveLength(0);

    const metricsPort = await freePort();
    const worker = await launch('worker', ['worker', '-c', file, '--location', 'eu-1', '--concurrency', '4', '--metrics-port', String(metricsPort)], READY.worker);
    procs.push(worker);
    await eventually('the notification', async () => hook!.requests.length, (n) => n === 1);
    expect(JSON.parse(hook.requests[0]!.body)).toMatchObject({ event: 'opened' });

    // The worker's listener: health with its identity, Prometheus metrics, and nothing else.
    const health = await fetch(`http://127.0.0.1:${metricsPort}/healthz`);
    expect(health.status).toBe(200);
    expect(await health.json()).toMatchObject({ status: 'ok', role: 'worker', location: 'eu-1', database: 'postgres' });
    const metrics = await (await fetch(`http://127.0.0.1:${metricsPort}/metrics`)).text();
    expect(metrics).toContain('medic_build_info{version=');
    expect(metrics).toContain('role="worker"');
    expect((await fetch(`http://127.0.0.1:${metricsPort}/api/incidents`)).status).toBe(404);

    // Every log line says who wrote it.
    const workerLines = worker.logs();
    expect(workerLines.length).toBeGreaterThan(0);
    for (const line of workerLines) expect(line).toMatchObject({ role: 'worker', location: 'eu-1', worker: expect.stringMatching(/:\d+:/) });
    for (const line of api.logs()) expect(line).toMatchObject({ role: 'api', instance: expect.any(String) });

    // SIGTERM: both exit 0, promptly.
    const started = Date.now();
    const [a, w] = await Promise.all([api.stop(), worker.stop()]);
    expect([a.code, w.code]).toEqual([0, 0]);
    expect(Date.now() - started).toBeLessThan(10_000);
    expect(worker.output()).toContain('shutting down');
  }, 60_000);

  // In-process: these fail before anything starts.
  it.each([
    [['start', '--role', 'bogus'], /error: option '--role <role>' argument 'bogus' is invalid\. Allowed choices are all, api, worker\./],
    [['worker', '--concurrency', 'many'], /error: option '--concurrency <n>' argument 'many' is invalid\. expected a whole number from 1 to 10000/],
    [['start', '--role', 'api', '--metrics-port', '9100'], /--metrics-port is for workers/],
    [['start', '--role', 'api', '--location', 'eu'], /--location and --concurrency are for roles that run checks and jobs/],
    [['worker', '--port', '8080'], /unknown option '--port'/],
    [['worker', '--location', 'eu west'], /error: option '--location <name>' argument 'eu west' is invalid\. expected 1 to 64 letters/],
  ])('exits 2 for bad role options: %j', async (args, message) => {
    const { file } = writeConfig(`storage: { url: "postgres://postgres@127.0.0.1:5432/test?schema=medic_unused" }`);
    const r = await runCli([...args, '-c', file]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(message);
  });

  it('refuses to split roles over SQLite', async () => {
    const { dir } = writeConfig('');
    const { file } = writeConfig(`storage: { url: "sqlite://${dir}/medic.db" }`);
    const r = await runCli(['worker', '-c', file]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('--role worker needs PostgreSQL');
  });
});
