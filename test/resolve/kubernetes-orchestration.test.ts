import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { listAttempts } from '../../src/resolve/index.js';
import { incidentOf, openHarness, type AutomationHarness } from '../helpers/automation.js';
import { alert } from '../helpers/incidents.js';
import { KUBE_TOKEN, startFakeKubeApi, type FakeKubeApi } from '../helpers/kube-api.js';
import { startRecordingServer, type RecordingServer } from '../helpers/recording-server.js';

/**
 * The seed article's remediation rules, as written, driven from alerts through the orchestration to a
 * fake Kubernetes API server on loopback that records the exact requests.
 */

const RESTART_PATH = '/apis/apps/v1/namespaces/payments/deployments/payment-service';
const SCALE_PATH = '/apis/apps/v1/namespaces/workers/deployments/queue-consumer/scale';

const config = (kubeconfig: string, slack: string) => `
kubernetes: { kubeconfig: "${kubeconfig}" }
services: [{ name: payment-service }, { name: queue-consumer }]
remediation:
  - alert: "payment-service-pod-crashlooping"
    action:
      type: kubernetes_rollout_restart
      deployment: payment-service
      namespace: payments
      max_auto_attempts: 2
      notify: ["#payments-team"]
  - alert: "queue-depth-critical"
    action:
      type: scale_deployment
      deployment: queue-consumer
      namespace: workers
      replicas: 10  # Scale up from default 3
      notify: ["#backend-team"]
notifications:
  - { name: "#payments-team", type: slack, webhook_url: "${slack}/payments" }
  - { name: "#backend-team", type: slack, webhook_url: "${slack}/backend" }
`;

describe('Kubernetes remediation through the orchestration', () => {
  let api: FakeKubeApi;
  let slack: RecordingServer;
  let h: AutomationHarness;
  beforeAll(async () => {
    api = await startFakeKubeApi();
    slack = await startRecordingServer();
  });
  afterAll(async () => {
    await api.close();
    await slack.close();
  });
  beforeEach(() => {
    api.routes.clear();
    api.server.requests.length = 0;
    slack.requests.length = 0;
  });
  afterEach(async () => h?.close());

  it('restarts the crashlooping deployment: the exact requests, the fix, and the team told', async () => {
    api.routes.set(`GET ${RESTART_PATH}`, () => ({ body: { metadata: { name: 'payment-service' }, spec: { paused: false } } }));
    api.routes.set(`PATCH ${RESTART_PATH}`, () => ({ body: { metadata: { name: 'payment-service' } } }));
    h = await openHarness('sqlite', config(api.kubeconfig, slack.url));
    const id = await h.ingest([alert({ name: 'payment-service-pod-crashlooping', service: 'payment-service', labels: { namespace: 'payments', pod: 'payment-service-6d4f-x2' } })]);
    await h.runDue();

    expect(api.server.requests.map((r) => `${r.method} ${r.url}`)).toEqual([`GET ${RESTART_PATH}`, `PATCH ${RESTART_PATH}`]);
    const patch = api.server.requests[1]!;
    expect(patch.headers.authorization).toBe(`Bearer ${KUBE_TOKEN}`);
    expect(patch.headers['content-type']).toBe('application/strategic-merge-patch+json');
    expect(Object.keys(JSON.parse(patch.body).spec.template.metadata.annotations)).toEqual(['kubectl.kubernetes.io/restartedAt']);

    const finished = (await h.timeline(id)).find((e) => e.type === 'remediation_finished')!;
    expect(finished).toMatchObject({ actor: 'payment-service-pod-crashlooping', payload: { outcome: 'ok', fix: true, output: 'deployment.apps/payment-service restarted', details: { namespace: 'payments', deployment: 'payment-service' } } });
    expect(await incidentOf(h, id)).toMatchObject({ status: 'closed' }); // no monitors or metrics: nothing to watch
    expect(slack.requests.map((r) => r.url)).toEqual(['/payments']);
    expect(JSON.parse(slack.requests[0]!.body).text).toContain('remediation finished');
  });

  it('scales the queue consumers to 10 replicas', async () => {
    api.routes.set(`GET ${SCALE_PATH}`, () => ({ body: { kind: 'Scale', spec: { replicas: 3 } } }));
    api.routes.set(`PATCH ${SCALE_PATH}`, () => ({ body: { kind: 'Scale', spec: { replicas: 10 } } }));
    h = await openHarness('sqlite', config(api.kubeconfig, slack.url));
    const id = await h.ingest([alert({ name: 'queue-depth-critical', service: 'queue-consumer' })]);
    await h.runDue();
    expect(api.server.requests.map((r) => `${r.method} ${r.url} ${r.body}`)).toEqual([`GET ${SCALE_PATH} `, `PATCH ${SCALE_PATH} {"spec":{"replicas":10}}`]);
    expect(api.server.requests[1]!.headers['content-type']).toBe('application/merge-patch+json');
    expect((await h.timeline(id)).find((e) => e.type === 'remediation_finished')!.payload).toMatchObject({ output: 'deployment.apps/queue-consumer scaled from 3 to 10 replicas', fix: true });
  });

  it('a refused restart is retried once after the cooldown, then escalates to the team', async () => {
    api.routes.set(`GET ${RESTART_PATH}`, () => ({ body: { metadata: { name: 'payment-service' }, spec: { paused: true } } }));
    h = await openHarness('sqlite', config(api.kubeconfig, slack.url));
    const id = await h.ingest([alert({ name: 'payment-service-pod-crashlooping', service: 'payment-service' })]);
    await h.runDue();
    h.clock.advance(30_000);
    await h.runDue();
    expect(api.server.requests.map((r) => r.method)).toEqual(['GET', 'GET']);
    expect((await listAttempts(h.core.rt.store.db, id)).map((a) => [a.status, a.error])).toEqual([
      ['failed', "can't restart paused deployment.apps/payment-service in namespace payments (run rollout resume first)"],
      ['failed', "can't restart paused deployment.apps/payment-service in namespace payments (run rollout resume first)"],
    ]);
    expect((await h.timeline(id)).filter((e) => e.type === 'escalated').map((e) => e.payload)).toMatchObject([{ attempts: 2, notify: ['#payments-team'] }]);
    expect(slack.requests.map((r) => JSON.parse(r.body).text as string).filter((t) => t.includes('escalated'))).toHaveLength(1);
  });
});
