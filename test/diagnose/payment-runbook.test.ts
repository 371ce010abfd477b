import { createServer, type Server } from 'node:net';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfigFile, Redactor, type RunbookStep } from '../../src/config/index.js';
import { runRunbook } from '../../src/diagnose/runbooks/execute.js';
import { formatRunbookReport } from '../../src/diagnose/steps/index.js';
import { deploymentObject, PAYMENT_LOG_LINES, paymentEventList, paymentPodList, paymentReplicaSetList, startFakeKubeApi, type FakeKubeApi } from '../helpers/kube-api.js';
import { lokiStreams } from '../helpers/loki.js';
import { startRecordingServer, type Handler, type RecordedRequest, type RecordingServer, type Reply } from '../helpers/recording-server.js';
import { statuspageSummary } from '../helpers/statuspage.js';
import { INCIDENT } from './helpers.js';

/**
 * The seed's auto-diagnosis script as the runbook of examples/payment-diagnostics.yaml, run against local
 * servers playing the health endpoint, the Kubernetes API, Loki and Stripe's status page, and a real TCP
 * listener for the database. Every answer is delayed; the run must take less than the sum of the delays
 * it was served (run one after another, the steps would take at least that) and less than 3 seconds.
 */

const DELAY_MS = 200;
const delayed =
  (handler: (req: RecordedRequest) => Reply): Handler =>
  async (req) => {
    await sleep(DELAY_MS);
    return handler(req);
  };

let kube: FakeKubeApi;
let health: RecordingServer;
let loki: RecordingServer;
let status: RecordingServer;
let db: Server;
beforeAll(async () => {
  const now = Date.now();
  kube = await startFakeKubeApi();
  kube.routes.set('GET /apis/apps/v1/namespaces/payments/deployments/payment-service', delayed(() => ({ body: deploymentObject(now) })));
  kube.routes.set('GET /api/v1/namespaces/payments/pods?labelSelector=app%3Dpayment-service', delayed(() => ({ body: paymentPodList(now) })));
  kube.routes.set('GET /apis/apps/v1/namespaces/payments/replicasets?labelSelector=app%3Dpayment-service', delayed(() => ({ body: paymentReplicaSetList(now) })));
  kube.routes.set('GET /api/v1/namespaces/payments/events', delayed(() => ({ body: paymentEventList(now) })));
  for (const pod of paymentPodList(now).items) {
    kube.routes.set(`GET /api/v1/namespaces/payments/pods/${pod.metadata.name}/log?container=app&tailLines=200`, delayed(() => ({ headers: { 'content-type': 'text/plain' }, body: `${PAYMENT_LOG_LINES.join('\n')}\n` })));
  }
  health = await startRecordingServer(delayed(() => ({ body: { status: 'degraded', checks: { database: 'slow', stripe: 'ok' } } })));
  loki = await startRecordingServer(delayed(() => ({ body: lokiStreams([{ stream: { app: 'payment-service', pod: 'payment-a' }, values: [[`${now}000000`, 'ERROR pool exhausted']] }]) })));
  status = await startRecordingServer(delayed(() => ({ body: statuspageSummary({ indicator: 'minor', description: 'Partially Degraded Service', degraded: true }) })));
  db = createServer((socket) => socket.end());
  await new Promise<void>((resolve) => db.listen(0, '127.0.0.1', resolve));
});
afterAll(async () => {
  await Promise.all([kube.close(), health.close(), loki.close(), status.close(), new Promise((resolve) => db.close(resolve))]);
});

/** The example's steps with their outside addresses pointed at the local servers (nothing else changed). */
function local(s: RunbookStep): RunbookStep {
  switch (s.kind) {
    case 'http':
      return { ...s, http: `${health.url}/health/payment` };
    case 'statuspage':
      return { ...s, statuspage: status.url };
    case 'tcp':
      return { ...s, tcp: `127.0.0.1:${(db.address() as AddressInfo).port}` };
    default:
      return s;
  }
}

describe("the seed's payment diagnostic script as one runbook", () => {
  it('answers every question of the script, all steps at once, in under 3 seconds', async () => {
    const { config } = loadConfigFile(path.resolve(import.meta.dirname, '../../examples/payment-diagnostics.yaml'), { env: {} });
    const runbook = config.runbooks.find((r) => r.name === 'payment-diagnostics')!;
    expect(runbook.steps.map((s) => [s.name, s.kind])).toEqual([
      ['Service Health', 'http'],
      ['Recent Errors', 'kubernetes'],
      ['Errors across all pods (Loki)', 'loki'],
      ['Database Connectivity', 'tcp'],
      ['Recent Deployments', 'kubernetes'],
      ['Pod Status', 'kubernetes'],
      ['Warning Events', 'kubernetes'],
      ['External Dependencies', 'statuspage'],
    ]);

    const run = await runRunbook(
      { ...runbook, steps: runbook.steps.map(local) },
      { incident: INCIDENT, redactor: new Redactor(), cwd: process.cwd(), signal: new AbortController().signal, kubernetes: { kubeconfig: kube.kubeconfig }, loki: { url: loki.url, headers: {} } },
    );

    // Each step but the TCP connect waited at least one injected delay; together they waited this long.
    // Each step but the TCP connect waited at least one injected delay.
    for (const s of run.steps.filter((st) => st.kind !== 'tcp')) expect(s.result.durationMs, s.name).toBeGreaterThanOrEqual(DELAY_MS - 5);
    const served = [kube, health, loki, status].reduce((n, server) => n + ('server' in server ? server.server : server).requests.length, 0);
    expect(served).toBe(13); // Kubernetes 10 (the deployment 3×, the pod list 2×, ReplicaSets, events, 3 pods' logs); health, Loki, status page 1 each
    expect(run.durationMs).toBeLessThan(served * DELAY_MS);
    expect(run.durationMs).toBeLessThan(run.steps.reduce((sum, s) => sum + s.result.durationMs, 0));
    expect(run.durationMs).toBeLessThan(3000);

    const byName = Object.fromEntries(run.steps.map((s) => [s.name, s.result]));
    expect(byName['Service Health']).toMatchObject({ ok: true, statusCode: 200 });
    expect(byName['Recent Errors']!.output).toContain('payment-service-7d9f8c6b5-fghij: 2026-12-02T14:55:02Z ERROR stripe.charge failed');
    expect(byName['Errors across all pods (Loki)']!.output).toMatch(/ERROR pool exhausted$/);
    expect(byName['Database Connectivity']!.ok).toBe(true);
    expect(byName['Recent Deployments']!.output).toMatch(/3 \(current\)/);
    expect(byName['Pod Status']).toMatchObject({ ok: false });
    expect(byName['Pod Status']!.output).toMatch(/CrashLoopBackOff\s+OOMKilled/);
    expect(byName['Warning Events']!.output.split('\n')[1]).toMatch(/^Warning\s+BackOff/);
    expect(byName['External Dependencies']).toMatchObject({ ok: false, error: 'status minor: Partially Degraded Service' });

    const report = formatRunbookReport({ title: 'Payment Service Diagnostic Report', generatedAt: 0, steps: run.steps });
    expect(report).toContain('--- Pod Status ---');
    expect(report).toContain('[failed · kubernetes · ');
    expect(report).toMatch(/8 steps: 6 ok, 2 failed\n$/);
  });
});
