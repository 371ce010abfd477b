import { copyFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { Redactor } from '../../src/config/index.js';
import { describeAction, executeAction } from '../../src/resolve/actions/index.js';
import { selectorToString } from '../../src/resolve/actions/kubernetes-rollout-undo.js';
import { KUBE_TOKEN, startFakeKubeApi, type FakeKubeApi } from '../helpers/kube-api.js';
import type { RecordedRequest } from '../helpers/recording-server.js';
import { action, actionContext, tempDir } from './helpers.js';

const DEPLOYMENT_PATH = '/apis/apps/v1/namespaces/payments/deployments/payment-service';
const SCALE_PATH = '/apis/apps/v1/namespaces/workers/deployments/queue-consumer/scale';
const RS_LIST_PATH = '/apis/apps/v1/namespaces/payments/replicasets?labelSelector=app%3Dpayment%2Ctier%3Dapi';
const DEPLOYMENT_UID = '5b0c2f4e-0000-4000-8000-000000000001';

/** A pod template as the API server returns it; `future_field` stands for fields a client model may not know. */
function template(version: string, hash?: string) {
  return {
    metadata: {
      labels: { app: 'payment', tier: 'api', ...(hash ? { 'pod-template-hash': hash } : {}) },
      annotations: { 'prometheus.io/scrape': 'true' },
    },
    spec: {
      containers: [{ name: 'app', image: `shop/payment:${version}`, ports: [{ containerPort: 8080, protocol: 'TCP' }], resizePolicy: [{ resourceName: 'cpu', restartPolicy: 'NotRequired' }] }],
      future_field: { enabled: true },
    },
  };
}

function deployment(over: { paused?: boolean; version?: string; revision?: string } = {}) {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: {
      name: 'payment-service',
      namespace: 'payments',
      uid: DEPLOYMENT_UID,
      annotations: {
        'deployment.kubernetes.io/revision': over.revision ?? '3',
        'kubectl.kubernetes.io/last-applied-configuration': '{"kind":"Deployment"}',
        'kubernetes.io/change-cause': 'deploy v3',
      },
    },
    spec: {
      replicas: 3,
      paused: over.paused ?? false,
      selector: { matchLabels: { app: 'payment', tier: 'api' } },
      template: template(over.version ?? 'v3'),
    },
  };
}

function replicaSet(name: string, revision: number, version: string, ownerUid = DEPLOYMENT_UID, extraAnnotations: Record<string, string> = {}) {
  return {
    metadata: {
      name,
      namespace: 'payments',
      annotations: {
        'deployment.kubernetes.io/revision': String(revision),
        'deployment.kubernetes.io/desired-replicas': '3',
        'deployment.kubernetes.io/max-replicas': '4',
        ...extraAnnotations,
      },
      ownerReferences: [{ apiVersion: 'apps/v1', kind: 'Deployment', name: 'payment-service', uid: ownerUid, controller: true }],
    },
    spec: { replicas: 0, template: template(version, `hash-${version}`) },
  };
}

const RS_LIST = {
  kind: 'ReplicaSetList',
  items: [
    replicaSet('payment-service-v1', 1, 'v1', DEPLOYMENT_UID, { 'kubernetes.io/change-cause': 'deploy v1' }),
    replicaSet('payment-service-v3', 3, 'v3', DEPLOYMENT_UID, { 'kubernetes.io/change-cause': 'deploy v3' }),
    replicaSet('payment-service-v2', 2, 'v2', DEPLOYMENT_UID, { 'kubernetes.io/change-cause': 'deploy v2' }),
    // Matches the selector but belongs to someone else: never a rollback target, whatever its revision.
    replicaSet('impostor', 9, 'evil', 'another-owner-uid'),
  ],
};

describe('kubernetes actions against a fake API server', () => {
  let api: FakeKubeApi;
  beforeAll(async () => {
    api = await startFakeKubeApi();
  });
  afterAll(() => api.close());
  beforeEach(() => {
    api.routes.clear();
    api.server.requests.length = 0;
  });

  const kubeCtx = () => actionContext({ kubernetes: { kubeconfig: api.kubeconfig } });
  const requests = (): RecordedRequest[] => api.server.requests;

  describe('kubernetes_rollout_restart', () => {
    it('patches the restartedAt annotation onto the pod template, as kubectl rollout restart does', async () => {
      api.routes.set(`GET ${DEPLOYMENT_PATH}`, () => ({ body: deployment() }));
      api.routes.set(`PATCH ${DEPLOYMENT_PATH}`, () => ({ body: deployment() }));
      const before = Math.floor(Date.now() / 1000) * 1000;
      const out = await executeAction(action({ type: 'kubernetes_rollout_restart', deployment: 'payment-service', namespace: 'payments' }), kubeCtx());
      const after = Date.now();

      expect(out.ok).toBe(true);
      expect(out.output).toBe('deployment.apps/payment-service restarted');
      expect(requests().map((r) => `${r.method} ${r.url}`)).toEqual([`GET ${DEPLOYMENT_PATH}`, `PATCH ${DEPLOYMENT_PATH}`]);
      const patch = requests()[1]!;
      expect(patch.headers['content-type']).toBe('application/strategic-merge-patch+json');
      expect(patch.headers.authorization).toBe(`Bearer ${KUBE_TOKEN}`);
      const body = JSON.parse(patch.body) as { spec: { template: { metadata: { annotations: Record<string, string> } } } };
      expect(Object.keys(body)).toEqual(['spec']);
      const annotations = body.spec.template.metadata.annotations;
      expect(Object.keys(annotations)).toEqual(['kubectl.kubernetes.io/restartedAt']);
      const stamp = annotations['kubectl.kubernetes.io/restartedAt']!;
      expect(stamp).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/);
      expect(Date.parse(stamp)).toBeGreaterThanOrEqual(before);
      expect(Date.parse(stamp)).toBeLessThanOrEqual(after);
      expect(out.details).toEqual({ namespace: 'payments', deployment: 'payment-service', restartedAt: stamp });
    });

    it('refuses a paused Deployment without patching it', async () => {
      api.routes.set(`GET ${DEPLOYMENT_PATH}`, () => ({ body: deployment({ paused: true }) }));
      const out = await executeAction(action({ type: 'kubernetes_rollout_restart', deployment: 'payment-service', namespace: 'payments' }), kubeCtx());
      expect(out.ok).toBe(false);
      expect(out.error).toMatch(/can't restart paused deployment\.apps\/payment-service/);
      expect(requests().map((r) => r.method)).toEqual(['GET']);
    });

    it('reports the API server’s refusal', async () => {
      const out = await executeAction(action({ type: 'kubernetes_rollout_restart', deployment: 'payment-service', namespace: 'payments' }), kubeCtx());
      expect(out.ok).toBe(false);
      expect(out.error).toBe(
        `Kubernetes API GET ${DEPLOYMENT_PATH} answered 404 NotFound: the server could not find the requested resource (GET ${DEPLOYMENT_PATH})`,
      );
    });
  });

  describe('scale_deployment', () => {
    it('reads the scale subresource, then merge-patches spec.replicas', async () => {
      api.routes.set(`GET ${SCALE_PATH}`, () => ({ body: { kind: 'Scale', spec: { replicas: 3 }, status: { replicas: 3 } } }));
      api.routes.set(`PATCH ${SCALE_PATH}`, () => ({ body: { kind: 'Scale', spec: { replicas: 10 }, status: { replicas: 3 } } }));
      const out = await executeAction(action({ type: 'scale_deployment', deployment: 'queue-consumer', namespace: 'workers', replicas: 10 }), kubeCtx());
      expect(out).toMatchObject({ ok: true, output: 'deployment.apps/queue-consumer scaled from 3 to 10 replicas' });
      expect(out.details).toEqual({ namespace: 'workers', deployment: 'queue-consumer', fromReplicas: 3, toReplicas: 10 });
      expect(requests().map((r) => `${r.method} ${r.url}`)).toEqual([`GET ${SCALE_PATH}`, `PATCH ${SCALE_PATH}`]);
      const patch = requests()[1]!;
      expect(patch.headers['content-type']).toBe('application/merge-patch+json');
      expect(JSON.parse(patch.body)).toEqual({ spec: { replicas: 10 } });
    });
  });

  describe('kubernetes_rollout_undo', () => {
    beforeEach(() => {
      api.routes.set(`GET ${DEPLOYMENT_PATH}`, () => ({ body: deployment() }));
      api.routes.set(`GET ${RS_LIST_PATH}`, () => ({ body: RS_LIST }));
      api.routes.set(`PATCH ${DEPLOYMENT_PATH}`, () => ({ body: deployment({ version: 'v2' }) }));
    });

    it('patches the Deployment back to the previous revision’s template, as kubectl rollout undo does', async () => {
      const out = await executeAction(action({ type: 'kubernetes_rollout_undo', deployment: 'payment-service', namespace: 'payments' }), kubeCtx());
      expect(out.ok).toBe(true);
      expect(out.output).toBe('deployment.apps/payment-service rolled back (revision 3 → template of revision 2, ReplicaSet payment-service-v2)');
      expect(out.details).toEqual({ namespace: 'payments', deployment: 'payment-service', fromRevision: 3, toRevision: 2, replicaSet: 'payment-service-v2' });
      expect(requests().map((r) => `${r.method} ${r.url}`)).toEqual([`GET ${DEPLOYMENT_PATH}`, `GET ${RS_LIST_PATH}`, `PATCH ${DEPLOYMENT_PATH}`]);

      const patch = requests()[2]!;
      expect(patch.headers['content-type']).toBe('application/json-patch+json');
      expect(JSON.parse(patch.body)).toEqual([
        // v2's template whole (fields unknown to any client model included), without pod-template-hash.
        { op: 'replace', path: '/spec/template', value: template('v2') },
        {
          op: 'replace',
          path: '/metadata/annotations',
          value: {
            'deployment.kubernetes.io/revision': '3',
            'kubectl.kubernetes.io/last-applied-configuration': '{"kind":"Deployment"}',
            'kubernetes.io/change-cause': 'deploy v2',
          },
        },
      ]);
    });

    it('rolls back to to_revision when given', async () => {
      const out = await executeAction(action({ type: 'kubernetes_rollout_undo', deployment: 'payment-service', namespace: 'payments', to_revision: 1 }), kubeCtx());
      expect(out.ok).toBe(true);
      const ops = JSON.parse(requests()[2]!.body) as Array<{ path: string; value: { spec?: { containers: Array<{ image: string }> } } }>;
      expect(ops[0]!.value.spec!.containers[0]!.image).toBe('shop/payment:v1');
    });

    it('fails when to_revision is not in the history (a foreign ReplicaSet’s revision does not count)', async () => {
      const out = await executeAction(action({ type: 'kubernetes_rollout_undo', deployment: 'payment-service', namespace: 'payments', to_revision: 9 }), kubeCtx());
      expect(out).toMatchObject({ ok: false, error: 'unable to find specified revision 9 in history of deployment "payment-service"' });
      expect(requests().some((r) => r.method === 'PATCH')).toBe(false);
    });

    it('fails with no history to go back to', async () => {
      api.routes.set(`GET ${RS_LIST_PATH}`, () => ({ body: { items: [RS_LIST.items[1]] } }));
      const out = await executeAction(action({ type: 'kubernetes_rollout_undo', deployment: 'payment-service', namespace: 'payments' }), kubeCtx());
      expect(out).toMatchObject({ ok: false, error: 'no rollout history found for deployment "payment-service"' });
    });

    it('fails without patching when the template already matches the target revision', async () => {
      api.routes.set(`GET ${DEPLOYMENT_PATH}`, () => ({ body: deployment({ version: 'v2' }) }));
      const out = await executeAction(action({ type: 'kubernetes_rollout_undo', deployment: 'payment-service', namespace: 'payments' }), kubeCtx());
      expect(out.ok).toBe(false);
      expect(out.error).toMatch(/already matches revision 2/);
      expect(requests().some((r) => r.method === 'PATCH')).toBe(false);
    });

    it('refuses a paused Deployment', async () => {
      api.routes.set(`GET ${DEPLOYMENT_PATH}`, () => ({ body: deployment({ paused: true }) }));
      const out = await executeAction(action({ type: 'kubernetes_rollout_undo', deployment: 'payment-service', namespace: 'payments' }), kubeCtx());
      expect(out.ok).toBe(false);
      expect(out.error).toMatch(/cannot rollback a paused deployment/);
      expect(requests().some((r) => r.method === 'PATCH')).toBe(false);
    });

    it('writes label selectors the way the API expects them', () => {
      expect(
        selectorToString({
          matchLabels: { app: 'payment' },
          matchExpressions: [
            { key: 'tier', operator: 'In', values: ['api', 'web'] },
            { key: 'canary', operator: 'DoesNotExist' },
            { key: 'env', operator: 'NotIn', values: ['dev'] },
            { key: 'team', operator: 'Exists' },
          ],
        }),
      ).toBe('app=payment,tier in (api,web),!canary,env notin (dev),team');
    });
  });

  describe('kubeconfig loading and limits', () => {
    const restart = action({ type: 'kubernetes_rollout_restart', deployment: 'payment-service', namespace: 'payments' });
    let savedKubeconfig: string | undefined;
    beforeEach(() => {
      savedKubeconfig = process.env.KUBECONFIG;
      api.routes.set(`GET ${DEPLOYMENT_PATH}`, () => ({ body: deployment() }));
      api.routes.set(`PATCH ${DEPLOYMENT_PATH}`, () => ({ body: deployment() }));
    });
    afterEach(() => {
      if (savedKubeconfig === undefined) delete process.env.KUBECONFIG;
      else process.env.KUBECONFIG = savedKubeconfig;
    });

    it('resolves a relative kubeconfig against the config folder', async () => {
      const baseDir = tempDir();
      copyFileSync(api.kubeconfig, path.join(baseDir, 'cluster.yaml'));
      const out = await executeAction(restart, actionContext({ baseDir, kubernetes: { kubeconfig: 'cluster.yaml' } }));
      expect(out.ok).toBe(true);
    });

    it('loads $KUBECONFIG when the config names no kubeconfig', async () => {
      process.env.KUBECONFIG = api.kubeconfig;
      const out = await executeAction(restart, actionContext({ kubernetes: {} }));
      expect(out.ok).toBe(true);
      expect(requests()).toHaveLength(2);
    });

    it('says so when no Kubernetes configuration can be found', async () => {
      const savedHome = process.env.HOME;
      delete process.env.KUBECONFIG;
      process.env.HOME = tempDir();
      try {
        const out = await executeAction(restart, actionContext({ kubernetes: {} }));
        expect(out.ok).toBe(false);
        expect(out.error).toMatch(/^no Kubernetes configuration found: set kubernetes\.kubeconfig/);
      } finally {
        process.env.HOME = savedHome;
      }
    });

    it('uses the configured context', async () => {
      const out = await executeAction(restart, actionContext({ kubernetes: { kubeconfig: api.kubeconfig, context: 'other' } }));
      expect(out.ok).toBe(false);
      expect(out.error).toMatch(/^Kubernetes API at http:\/\/127\.0\.0\.1:1: .*ECONNREFUSED/);
      expect(requests()).toHaveLength(0);

      const missing = await executeAction(restart, actionContext({ kubernetes: { kubeconfig: api.kubeconfig, context: 'prod' } }));
      expect(missing.error).toBe('the kubeconfig has no context "prod" (it has other, test)');
    });

    it('gives up on an API server that does not answer within the timeout', async () => {
      api.routes.set(`GET ${DEPLOYMENT_PATH}`, () => 'hang');
      const out = await executeAction(restart, actionContext({ kubernetes: { kubeconfig: api.kubeconfig }, timeoutMs: 300 }));
      expect(out).toMatchObject({ ok: false, error: 'timed out after 300ms' });
      expect(requests().some((r) => r.method === 'PATCH')).toBe(false);
    });

    it('describes each action in one line', () => {
      const ctx = { ...actionContext(), redactor: new Redactor() };
      expect(describeAction(restart, ctx)).toBe(
        "restart deployment.apps/payment-service in namespace payments (rollout restart: patch the pod template's kubectl.kubernetes.io/restartedAt annotation)",
      );
      expect(describeAction(action({ type: 'scale_deployment', deployment: 'queue-consumer', namespace: 'workers', replicas: 10 }), ctx)).toBe(
        'scale deployment.apps/queue-consumer in namespace workers to 10 replicas',
      );
      expect(describeAction(action({ type: 'kubernetes_rollout_undo', deployment: 'payment-service' }), ctx)).toBe(
        'roll back deployment.apps/payment-service in namespace default to the previous revision (rollout undo)',
      );
      expect(describeAction(action({ type: 'kubernetes_rollout_undo', deployment: 'payment-service', to_revision: 4 }), ctx)).toMatch(/to revision 4/);
    });
  });
});
