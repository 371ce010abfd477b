import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { Redactor } from '../../src/config/index.js';
import { runStep } from '../../src/diagnose/steps/index.js';
import type { PodRow } from '../../src/diagnose/steps/kubernetes-pods.js';
import type { RevisionRow } from '../../src/diagnose/steps/kubernetes-rollout-history.js';
import type { EventRow } from '../../src/diagnose/steps/kubernetes-events.js';
import type { PodLog } from '../../src/diagnose/steps/kubernetes-logs.js';
import {
  deploymentObject,
  KUBE_TOKEN,
  PAYMENT_LOG_LINES,
  paymentEventList,
  paymentPodList,
  paymentReplicaSetList,
  startFakeKubeApi,
  type FakeKubeApi,
} from '../helpers/kube-api.js';
import { context, step } from './helpers.js';

const DEPLOYMENT = 'GET /apis/apps/v1/namespaces/payments/deployments/payment-service';
const PODS = 'GET /api/v1/namespaces/payments/pods?labelSelector=app%3Dpayment-service';
const RS = 'GET /apis/apps/v1/namespaces/payments/replicasets?labelSelector=app%3Dpayment-service';
const EVENTS = 'GET /api/v1/namespaces/payments/events';
const POD_NAMES = ['payment-service-7d9f8c6b5-abcde', 'payment-service-7d9f8c6b5-fghij', 'payment-service-7d9f8c6b5-klmno'];
const logRoute = (pod: string, query: string) => `GET /api/v1/namespaces/payments/pods/${pod}/log?${query}`;
const text = (body: string) => ({ status: 200, headers: { 'content-type': 'text/plain' }, body });

let api: FakeKubeApi;
let now: number;
beforeAll(async () => {
  api = await startFakeKubeApi();
});
afterAll(() => api.close());
beforeEach(() => {
  api.routes.clear();
  api.server.requests.length = 0;
  now = Date.now();
  api.routes.set(DEPLOYMENT, () => ({ body: deploymentObject(now) }));
  api.routes.set(PODS, () => ({ body: paymentPodList(now) }));
});

const kube = () => context({ kubernetes: { kubeconfig: api.kubeconfig } });

describe('kubernetes: pods', () => {
  it("lists a deployment's pods by its own selector, with why containers are down, and fails when a pod is not ready", async () => {
    const out = await runStep(step({ kubernetes: 'pods', namespace: 'payments', deployment: 'payment-service' }), kube());
    expect(api.server.requests.map((r) => `${r.method} ${r.url}`)).toEqual([DEPLOYMENT, PODS]);
    expect(api.server.requests[0]!.headers.authorization).toBe(`Bearer ${KUBE_TOKEN}`);
    const rows = out.value as PodRow[];
    expect(rows.map((r) => [r.name, r.ready, r.phase, r.restarts, r.reason, r.lastTermination, r.age, r.node])).toEqual([
      [POD_NAMES[0], '2/2', 'Running', 0, null, null, '2h', 'node-a'],
      [POD_NAMES[1], '1/2', 'Running', 7, 'CrashLoopBackOff', 'OOMKilled', '2h', 'node-b'],
      [POD_NAMES[2], '1/2', 'Running', 2, 'CrashLoopBackOff', 'Error', '10m', 'node-a'],
    ]);
    expect(out.ok).toBe(false);
    expect(out.error).toBe(`2 of 3 pods not ready: ${POD_NAMES[1]}, ${POD_NAMES[2]}`);
    const lines = out.output.split('\n');
    expect(lines[0]).toMatch(/^NAME\s+READY\s+PHASE\s+RESTARTS\s+REASON\s+LAST TERMINATION\s+AGE\s+NODE$/);
    expect(lines[2]).toMatch(/^payment-service-7d9f8c6b5-fghij\s+1\/2\s+Running\s+7\s+CrashLoopBackOff\s+OOMKilled\s+2h\s+node-b$/);
  });

  it('passes with a label selector when every pod is ready; fails when no pod matches', async () => {
    api.routes.set('GET /api/v1/namespaces/payments/pods?labelSelector=app%3Dpayment-service%2Ctier%3Dapi', () => ({
      body: { ...paymentPodList(now), items: paymentPodList(now).items.slice(0, 1) },
    }));
    const ok = await runStep(step({ kubernetes: 'pods', namespace: 'payments', selector: 'app=payment-service,tier=api' }), kube());
    expect(ok).toMatchObject({ ok: true });
    expect(ok.error).toBeUndefined();

    api.routes.set(PODS, () => ({ body: { kind: 'PodList', apiVersion: 'v1', metadata: {}, items: [] } }));
    const none = await runStep(step({ kubernetes: 'pods', namespace: 'payments', selector: 'app=payment-service' }), kube());
    expect(none).toMatchObject({ ok: false, error: 'no pods found for pods app=payment-service in namespace payments' });
  });

  it("says the API server's reason when the deployment does not exist", async () => {
    const out = await runStep(step({ kubernetes: 'pods', namespace: 'payments', deployment: 'nope' }), kube());
    expect(out.ok).toBe(false);
    expect(out.error).toMatch(/answered 404 NotFound/);
  });
});

describe('kubernetes: logs', () => {
  beforeEach(() => {
    for (const pod of POD_NAMES) {
      api.routes.set(logRoute(pod, 'container=app&tailLines=200'), () => text(`${PAYMENT_LOG_LINES.join('\n')}\n`));
    }
  });

  it("keeps every pod's lines matching grep, case-insensitive, prefixed with the pod", async () => {
    const out = await runStep(step({ kubernetes: 'logs', namespace: 'payments', deployment: 'payment-service', grep: 'error' }), kube());
    expect(out.ok).toBe(true);
    const logPaths = api.server.requests.filter((r) => r.url.includes('/log?')).map((r) => r.url);
    expect(logPaths.sort()).toEqual(POD_NAMES.map((p) => `/api/v1/namespaces/payments/pods/${p}/log?container=app&tailLines=200`));
    expect(out.output.split('\n')).toEqual(POD_NAMES.flatMap((p) => [`${p}: ${PAYMENT_LOG_LINES[1]}`, `${p}: ${PAYMENT_LOG_LINES[3]}`]));
  });

  it('reads the previous container of one pod with tail and container, keeps the last lines, and redacts secrets', async () => {
    const pod = POD_NAMES[1]!;
    api.routes.set(`GET /api/v1/namespaces/payments/pods/${pod}`, () => ({ body: { kind: 'Pod', apiVersion: 'v1', ...paymentPodList(now).items[1]! } }));
    api.routes.set(logRoute(pod, 'container=app&tailLines=50&previous=true'), () => text('boot\nERROR key sk_live_abcdef123456 rejected\nERROR out of memory\nkilled\n'));
    const out = await runStep(
      step({ kubernetes: 'logs', namespace: 'payments', pod, container: 'app', tail: 50, previous: true, grep: 'ERROR', last: 2 }),
      context({ kubernetes: { kubeconfig: api.kubeconfig }, redactor: new Redactor(['sk_live_abcdef123456']) }),
    );
    expect(api.server.requests.map((r) => r.url)).toEqual([`/api/v1/namespaces/payments/pods/${pod}`, `/api/v1/namespaces/payments/pods/${pod}/log?container=app&tailLines=50&previous=true`]);
    expect(out.output).not.toContain('sk_live_abcdef123456');
    expect(out.output.split('\n')).toEqual([`${pod}: ERROR key [REDACTED] rejected`, `${pod}: ERROR out of memory`]);
    expect(JSON.stringify(out.value)).not.toContain('sk_live_abcdef123456');
  });

  it('notes a pod whose log cannot be read and fails only when none can; max_output caps the text', async () => {
    api.routes.set(logRoute(POD_NAMES[0]!, 'container=app&tailLines=200'), () => ({
      status: 400,
      body: { kind: 'Status', apiVersion: 'v1', status: 'Failure', message: 'container "app" in pod is waiting to start: ContainerCreating', reason: 'BadRequest', code: 400 },
    }));
    const out = await runStep(step({ kubernetes: 'logs', namespace: 'payments', deployment: 'payment-service', max_output: '400b' }), kube());
    expect(out.ok).toBe(true);
    expect(out.truncated).toBe(true);
    expect(out.output).toMatch(/^payment-service-7d9f8c6b5-abcde: \(no log: Kubernetes API GET \/api\/v1\/namespaces\/payments\/pods\/payment-service-7d9f8c6b5-abcde\/log\?container=app&tailLines=200 answered 400 BadRequest: container "app" in pod is waiting to start/);
    expect((out.value as PodLog[]).map((l) => l.lines.length)).toEqual([0, 5, 5]);
  });
});

describe('kubernetes: rollout_history', () => {
  it("shows the deployment's revisions newest first with images, creation and change cause, the current one marked", async () => {
    api.routes.set(RS, () => ({ body: paymentReplicaSetList(now) }));
    const out = await runStep(step({ kubernetes: 'rollout_history', namespace: 'payments', deployment: 'payment-service' }), kube());
    expect(out.ok).toBe(true);
    const rows = out.value as RevisionRow[];
    // The canary's ReplicaSet matches the selector but belongs to another Deployment.
    expect(rows.map((r) => [r.revision, r.current, r.images, r.changeCause])).toEqual([
      [3, true, ['registry.example.com/payment-service:1.4.2', 'istio/proxyv2:1.22.0'], 'deploy 1.4.2: connection pool 50 -> 10'],
      [2, false, ['registry.example.com/payment-service:1.4.1', 'istio/proxyv2:1.22.0'], null],
      [1, false, ['registry.example.com/payment-service:1.4.0', 'istio/proxyv2:1.22.0'], 'initial deploy'],
    ]);
    const lines = out.output.split('\n');
    expect(lines[0]).toBe('deployment.apps/payment-service');
    expect(lines[2]).toMatch(/^3 \(current\)\s+registry\.example\.com\/payment-service:1\.4\.2, istio\/proxyv2:1\.22\.0\s+\d{4}-\d\d-\d\dT\S+Z\s+deploy 1\.4\.2: connection pool 50 -> 10$/);
    expect(lines[3]).toMatch(/<none>$/);
  });
});

describe('kubernetes: events', () => {
  beforeEach(() => {
    api.routes.set(EVENTS, () => ({ body: paymentEventList(now) }));
  });

  it("narrows to the deployment's objects within since, Warning first, then newest first", async () => {
    const out = await runStep(step({ kubernetes: 'events', namespace: 'payments', deployment: 'payment-service', since: '30m' }), kube());
    expect(out.ok).toBe(true);
    const rows = out.value as EventRow[];
    expect(rows.map((r) => [r.type, r.reason, r.object, r.count])).toEqual([
      ['Warning', 'BackOff', 'pod/payment-service-7d9f8c6b5-fghij', 31],
      ['Warning', 'Unhealthy', 'pod/payment-service-7d9f8c6b5-klmno', 12],
      ['Normal', 'Pulled', 'pod/payment-service-7d9f8c6b5-fghij', 8],
      ['Normal', 'ScalingReplicaSet', 'deployment/payment-service', 1],
    ]);
    expect(out.output.split('\n')[1]).toMatch(/^Warning\s+BackOff\s+pod\/payment-service-7d9f8c6b5-fghij\s+31\s+30s\s+Back-off restarting failed container app/);
  });

  it('the default window is 15 minutes; a pod narrows by field selector', async () => {
    const all = await runStep(step({ kubernetes: 'events', namespace: 'payments' }), kube());
    expect((all.value as EventRow[]).map((r) => r.reason)).toEqual(['BackOff', 'FailedScheduling', 'Unhealthy', 'Pulled']);

    const pod = POD_NAMES[1]!;
    api.routes.set(`${EVENTS}?fieldSelector=involvedObject.name%3D${pod}`, () => ({
      body: { ...paymentEventList(now), items: paymentEventList(now).items.filter((e) => e.involvedObject.name === pod) },
    }));
    const one = await runStep(step({ kubernetes: 'events', namespace: 'payments', pod }), kube());
    expect((one.value as EventRow[]).map((r) => r.reason)).toEqual(['BackOff', 'Pulled']);
  });
});

describe('kubernetes steps, bounds and configuration', () => {
  it('stop at the step timeout when the API server does not answer', async () => {
    api.routes.set(DEPLOYMENT, () => 'hang');
    const started = performance.now();
    const out = await runStep(step({ kubernetes: 'pods', namespace: 'payments', deployment: 'payment-service', timeout: '300ms' }), kube());
    expect(performance.now() - started).toBeLessThan(5000);
    expect(out).toMatchObject({ ok: false });
    expect(out.error).toMatch(/timed out after/);
  });

  it('use the kubeconfig context of medic.yaml, and say when the kubeconfig is missing', async () => {
    const other = await runStep(step({ kubernetes: 'pods', namespace: 'payments', deployment: 'payment-service' }), context({ kubernetes: { kubeconfig: api.kubeconfig, context: 'other' } }));
    expect(other.ok).toBe(false);
    expect(other.error).toMatch(/127\.0\.0\.1:1/);
    const missing = await runStep(step({ kubernetes: 'pods', namespace: 'payments', deployment: 'payment-service' }), context({ kubernetes: { kubeconfig: 'no-such-kubeconfig.yaml' } }));
    expect(missing.ok).toBe(false);
    expect(missing.error).toMatch(/no-such-kubeconfig\.yaml/);
  });
});
