import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { startRecordingServer, type Handler, type RecordingServer } from './recording-server.js';

/**
 * There is no cluster here: a real HTTP server on 127.0.0.1 plays the Kubernetes API server for the few
 * paths a test sets up, recording every request so the test can assert exact methods, paths, content
 * types and bodies. A kubeconfig written next to it points @kubernetes/client-node at it.
 */

export const KUBE_TOKEN = 'test-kube-token-0123456789';

export interface FakeKubeApi {
  server: RecordingServer;
  /** A kubeconfig whose current context `test` points here (its context `other` points at a closed port). */
  kubeconfig: string;
  /** Routes "METHOD /path?query" → reply; anything else answers 404 with a Kubernetes Status. */
  routes: Map<string, Handler>;
  close(): Promise<void>;
}

export async function startFakeKubeApi(): Promise<FakeKubeApi> {
  const routes: FakeKubeApi['routes'] = new Map();
  const server = await startRecordingServer((req) => {
    const route = routes.get(`${req.method} ${req.url}`);
    if (route) return route(req);
    return {
      status: 404,
      body: { kind: 'Status', apiVersion: 'v1', status: 'Failure', message: `the server could not find the requested resource (${req.method} ${req.url})`, reason: 'NotFound', code: 404 },
    };
  });
  const dir = mkdtempSync(path.join(tmpdir(), 'medic-kube-'));
  const kubeconfig = path.join(dir, 'kubeconfig.yaml');
  writeFileSync(
    kubeconfig,
    [
      'apiVersion: v1',
      'kind: Config',
      'clusters:',
      '  - name: fake',
      '    cluster:',
      `      server: ${server.url}`,
      '      insecure-skip-tls-verify: true',
      '  - name: elsewhere',
      '    cluster:',
      '      server: http://127.0.0.1:1',
      '      insecure-skip-tls-verify: true',
      'users:',
      '  - name: medic',
      '    user:',
      `      token: ${KUBE_TOKEN}`,
      'contexts:',
      '  - name: other',
      '    context: { cluster: elsewhere, user: medic }',
      '  - name: test',
      '    context: { cluster: fake, user: medic }',
      'current-context: test',
      '',
    ].join('\n'),
  );
  return {
    server,
    kubeconfig,
    routes,
    async close() {
      await server.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

// ---- Objects shaped as the API server returns them (only the fields a real answer always has, plus
// those Medic reads). Timestamps are RFC 3339 without fractions, as the API server writes them.

export const PAYMENT_SELECTOR = { matchLabels: { app: 'payment-service' } };
export const DEPLOYMENT_UID = '5f1c2b3a-0d4e-4f55-9a66-7b8c9d0e1f23';

export function rfc3339(ms: number): string {
  return new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

export function deploymentObject(now: number, revision = '3') {
  return {
    kind: 'Deployment',
    apiVersion: 'apps/v1',
    metadata: {
      name: 'payment-service',
      namespace: 'payments',
      uid: DEPLOYMENT_UID,
      resourceVersion: '48213',
      generation: 3,
      creationTimestamp: rfc3339(now - 30 * 86_400_000),
      labels: { app: 'payment-service' },
      annotations: { 'deployment.kubernetes.io/revision': revision },
    },
    spec: {
      replicas: 3,
      selector: PAYMENT_SELECTOR,
      template: { metadata: { labels: { app: 'payment-service' } }, spec: { containers: [{ name: 'app', image: 'registry.example.com/payment-service:1.4.2' }] } },
    },
    status: { observedGeneration: 3, replicas: 3, updatedReplicas: 3, readyReplicas: 1, availableReplicas: 1, unavailableReplicas: 2 },
  };
}

type ContainerState = Record<string, unknown>;
export function podObject(now: number, name: string, opts: { ready: boolean; restarts?: number; state?: ContainerState; lastState?: ContainerState; node?: string; ageMs?: number; phase?: string }) {
  return {
    metadata: {
      name,
      generateName: name.replace(/[^-]+$/, ''),
      namespace: 'payments',
      uid: `uid-${name}`,
      creationTimestamp: rfc3339(now - (opts.ageMs ?? 3_600_000)),
      labels: { app: 'payment-service', 'pod-template-hash': '7d9f8c6b5' },
      ownerReferences: [{ apiVersion: 'apps/v1', kind: 'ReplicaSet', name: 'payment-service-7d9f8c6b5', uid: 'uid-rs-3', controller: true, blockOwnerDeletion: true }],
    },
    spec: { nodeName: opts.node ?? 'node-a', containers: [{ name: 'app', image: 'registry.example.com/payment-service:1.4.2' }, { name: 'istio-proxy', image: 'istio/proxyv2:1.22.0' }] },
    status: {
      phase: opts.phase ?? 'Running',
      conditions: [
        { type: 'Initialized', status: 'True', lastProbeTime: null, lastTransitionTime: rfc3339(now - 3_600_000) },
        { type: 'Ready', status: opts.ready ? 'True' : 'False', lastProbeTime: null, lastTransitionTime: rfc3339(now - 60_000), ...(opts.ready ? {} : { reason: 'ContainersNotReady', message: 'containers with unready status: [app]' }) },
        { type: 'ContainersReady', status: opts.ready ? 'True' : 'False', lastProbeTime: null, lastTransitionTime: rfc3339(now - 60_000) },
        { type: 'PodScheduled', status: 'True', lastProbeTime: null, lastTransitionTime: rfc3339(now - 3_600_000) },
      ],
      hostIP: '10.0.0.11',
      podIP: '10.244.1.17',
      startTime: rfc3339(now - 3_600_000),
      containerStatuses: [
        {
          name: 'app',
          state: opts.state ?? { running: { startedAt: rfc3339(now - 3_000_000) } },
          lastState: opts.lastState ?? {},
          ready: opts.ready,
          restartCount: opts.restarts ?? 0,
          image: 'registry.example.com/payment-service:1.4.2',
          imageID: 'registry.example.com/payment-service@sha256:0f3a',
          containerID: `containerd://${name}`,
          started: opts.ready,
        },
        { name: 'istio-proxy', state: { running: { startedAt: rfc3339(now - 3_500_000) } }, lastState: {}, ready: true, restartCount: 0, image: 'istio/proxyv2:1.22.0', imageID: 'istio/proxyv2@sha256:1a', started: true },
      ],
      qosClass: 'Burstable',
    },
  };
}

/** Three pods of payment-service: one healthy, one crash-looping after an OOM kill, one that exited with an error. */
export function paymentPodList(now: number) {
  return {
    kind: 'PodList',
    apiVersion: 'v1',
    metadata: { resourceVersion: '48250' },
    items: [
      podObject(now, 'payment-service-7d9f8c6b5-abcde', { ready: true, node: 'node-a', ageMs: 2 * 3_600_000 }),
      podObject(now, 'payment-service-7d9f8c6b5-fghij', {
        ready: false,
        restarts: 7,
        node: 'node-b',
        ageMs: 2 * 3_600_000,
        state: { waiting: { reason: 'CrashLoopBackOff', message: 'back-off 5m0s restarting failed container=app pod=payment-service-7d9f8c6b5-fghij' } },
        lastState: { terminated: { exitCode: 137, reason: 'OOMKilled', startedAt: rfc3339(now - 400_000), finishedAt: rfc3339(now - 300_000), containerID: 'containerd://x' } },
      }),
      podObject(now, 'payment-service-7d9f8c6b5-klmno', {
        ready: false,
        restarts: 2,
        node: 'node-a',
        ageMs: 10 * 60_000,
        state: { waiting: { reason: 'CrashLoopBackOff', message: 'back-off' } },
        lastState: { terminated: { exitCode: 1, reason: 'Error', startedAt: rfc3339(now - 200_000), finishedAt: rfc3339(now - 100_000), containerID: 'containerd://y' } },
      }),
    ],
  };
}

export function replicaSetObject(now: number, revision: number, image: string, ageMs: number, changeCause?: string, owner = { uid: DEPLOYMENT_UID, name: 'payment-service' }) {
  return {
    metadata: {
      name: `${owner.name}-rs${revision}`,
      namespace: 'payments',
      uid: `uid-rs-${revision}`,
      creationTimestamp: rfc3339(now - ageMs),
      labels: { app: 'payment-service', 'pod-template-hash': `rs${revision}` },
      annotations: {
        'deployment.kubernetes.io/desired-replicas': '3',
        'deployment.kubernetes.io/max-replicas': '4',
        'deployment.kubernetes.io/revision': String(revision),
        ...(changeCause ? { 'kubernetes.io/change-cause': changeCause } : {}),
      },
      ownerReferences: [{ apiVersion: 'apps/v1', kind: 'Deployment', name: owner.name, uid: owner.uid, controller: true, blockOwnerDeletion: true }],
    },
    spec: {
      replicas: revision === 3 ? 3 : 0,
      selector: { matchLabels: { app: 'payment-service', 'pod-template-hash': `rs${revision}` } },
      template: { metadata: { labels: { app: 'payment-service', 'pod-template-hash': `rs${revision}` } }, spec: { containers: [{ name: 'app', image }, { name: 'istio-proxy', image: 'istio/proxyv2:1.22.0' }] } },
    },
    status: { replicas: revision === 3 ? 3 : 0, observedGeneration: 1 },
  };
}

/** Revisions 1–3 of payment-service, listed oldest first, plus a ReplicaSet of another owner the selector also matches. */
export function paymentReplicaSetList(now: number) {
  return {
    kind: 'ReplicaSetList',
    apiVersion: 'apps/v1',
    metadata: { resourceVersion: '48251' },
    items: [
      replicaSetObject(now, 1, 'registry.example.com/payment-service:1.4.0', 20 * 86_400_000, 'initial deploy'),
      replicaSetObject(now, 3, 'registry.example.com/payment-service:1.4.2', 25 * 60_000, 'deploy 1.4.2: connection pool 50 -> 10'),
      replicaSetObject(now, 2, 'registry.example.com/payment-service:1.4.1', 3 * 86_400_000),
      replicaSetObject(now, 9, 'registry.example.com/payment-service:canary', 60_000, 'not ours', { uid: 'uid-of-another-deployment', name: 'payment-service-canary' }),
    ],
  };
}

export function eventObject(now: number, e: { type: 'Warning' | 'Normal'; reason: string; kind: string; name: string; message: string; count: number; lastSeenAgoMs: number }) {
  return {
    metadata: { name: `${e.name}.17a${e.reason.length}${e.count}`, namespace: 'payments', uid: `uid-ev-${e.name}-${e.reason}`, resourceVersion: '1', creationTimestamp: rfc3339(now - e.lastSeenAgoMs - 60_000) },
    involvedObject: { kind: e.kind, namespace: 'payments', name: e.name, uid: `uid-${e.name}`, apiVersion: e.kind === 'Pod' ? 'v1' : 'apps/v1', resourceVersion: '1', ...(e.kind === 'Pod' ? { fieldPath: 'spec.containers{app}' } : {}) },
    reason: e.reason,
    message: e.message,
    source: { component: e.kind === 'Pod' ? 'kubelet' : 'deployment-controller', ...(e.kind === 'Pod' ? { host: 'node-b' } : {}) },
    firstTimestamp: rfc3339(now - e.lastSeenAgoMs - 60_000),
    lastTimestamp: rfc3339(now - e.lastSeenAgoMs),
    count: e.count,
    type: e.type,
    eventTime: null,
    reportingComponent: e.kind === 'Pod' ? 'kubelet' : 'deployment-controller',
    reportingInstance: '',
  };
}

export function paymentEventList(now: number) {
  return {
    kind: 'EventList',
    apiVersion: 'v1',
    metadata: { resourceVersion: '48252' },
    items: [
      eventObject(now, { type: 'Normal', reason: 'ScalingReplicaSet', kind: 'Deployment', name: 'payment-service', message: 'Scaled up replica set payment-service-7d9f8c6b5 to 3', count: 1, lastSeenAgoMs: 25 * 60_000 - 1000 }),
      eventObject(now, { type: 'Normal', reason: 'Pulled', kind: 'Pod', name: 'payment-service-7d9f8c6b5-fghij', message: 'Container image "registry.example.com/payment-service:1.4.2" already present on machine', count: 8, lastSeenAgoMs: 120_000 }),
      eventObject(now, { type: 'Warning', reason: 'BackOff', kind: 'Pod', name: 'payment-service-7d9f8c6b5-fghij', message: 'Back-off restarting failed container app in pod payment-service-7d9f8c6b5-fghij_payments(uid)', count: 31, lastSeenAgoMs: 30_000 }),
      eventObject(now, { type: 'Warning', reason: 'Unhealthy', kind: 'Pod', name: 'payment-service-7d9f8c6b5-klmno', message: 'Readiness probe failed: HTTP probe failed with statuscode: 503', count: 12, lastSeenAgoMs: 90_000 }),
      eventObject(now, { type: 'Warning', reason: 'FailedScheduling', kind: 'Pod', name: 'checkout-5b6c7d-xyz12', message: '0/3 nodes are available: 3 Insufficient memory.', count: 4, lastSeenAgoMs: 60_000 }),
      eventObject(now, { type: 'Warning', reason: 'BackOff', kind: 'Pod', name: 'payment-service-old-pod', message: 'old news', count: 2, lastSeenAgoMs: 3 * 3_600_000 }),
    ],
  };
}

/** Pod log text as the API server returns it for .../pods/<pod>/log: plain text, one line per log line. */
export const PAYMENT_LOG_LINES = [
  '2026-12-02T14:55:01Z INFO  charge ok order=1001',
  '2026-12-02T14:55:02Z ERROR stripe.charge failed: connection pool exhausted (10/10 in use)',
  '2026-12-02T14:55:03Z INFO  health ok',
  '2026-12-02T14:55:04Z error db timeout after 5000ms',
  '2026-12-02T14:55:05Z WARN  retrying charge order=1002',
];
