import type { ActionExecutor } from './action.js';
import { connectKube, deploymentPath, deploymentRef, PATCH } from '../../shared/kubernetes.js';

/**
 * `scale_deployment` — set a Deployment's replicas through its `scale` subresource, as `kubectl scale`
 * does. The count before is read first so the timeline says "3 → 10", which is what a person undoing it
 * needs to know.
 */

interface Scale {
  spec?: { replicas?: number };
}

export const scaleDeploymentExecutor: ActionExecutor<'scale_deployment'> = {
  type: 'scale_deployment',
  async execute(action, ctx) {
    const started = performance.now();
    const kube = await connectKube(ctx.kubernetes, ctx);
    const path = deploymentPath(action.namespace, action.deployment, 'scale');
    const before = await kube.request<Scale>('GET', path);
    const from = before.spec?.replicas ?? 0;
    const after = await kube.request<Scale>('PATCH', path, { contentType: PATCH.merge, data: { spec: { replicas: action.replicas } } });
    const to = after.spec?.replicas ?? action.replicas;
    return {
      ok: true,
      output: `deployment.apps/${action.deployment} scaled from ${from} to ${to} replicas`,
      durationMs: performance.now() - started,
      details: { namespace: action.namespace, deployment: action.deployment, fromReplicas: from, toReplicas: to },
    };
  },
  describe(action) {
    return `scale ${deploymentRef(action.namespace, action.deployment)} to ${action.replicas} replicas`;
  },
};
