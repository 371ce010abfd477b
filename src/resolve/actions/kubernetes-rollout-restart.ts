import type { ActionExecutor } from './action.js';
import { connectKube, deploymentPath, deploymentRef, PATCH } from '../../shared/kubernetes.js';

/**
 * `kubernetes_rollout_restart` — what `kubectl rollout restart` does: stamp the pod template with a
 * `kubectl.kubernetes.io/restartedAt` annotation, so the Deployment rolls out fresh pods. A paused
 * Deployment is refused, as kubectl refuses it: the patch would change nothing until it is resumed.
 */

export const RESTARTED_AT = 'kubectl.kubernetes.io/restartedAt';

/** RFC 3339 in UTC without fractions, as kubectl writes it (Go's time.RFC3339). */
export function rfc3339(date: Date): string {
  return date.toISOString().replace(/\.\d{3}Z$/, 'Z');
}

export const rolloutRestartExecutor: ActionExecutor<'kubernetes_rollout_restart'> = {
  type: 'kubernetes_rollout_restart',
  async execute(action, ctx) {
    const started = performance.now();
    const kube = await connectKube(ctx.kubernetes, ctx);
    const path = deploymentPath(action.namespace, action.deployment);
    const deployment = await kube.request<{ spec?: { paused?: boolean } }>('GET', path);
    if (deployment.spec?.paused) {
      throw new Error(`can't restart paused ${deploymentRef(action.namespace, action.deployment)} (run rollout resume first)`);
    }
    const restartedAt = rfc3339(new Date());
    await kube.request('PATCH', path, {
      contentType: PATCH.strategicMerge,
      data: { spec: { template: { metadata: { annotations: { [RESTARTED_AT]: restartedAt } } } } },
    });
    return {
      ok: true,
      output: `deployment.apps/${action.deployment} restarted`,
      durationMs: performance.now() - started,
      details: { namespace: action.namespace, deployment: action.deployment, restartedAt },
    };
  },
  describe(action) {
    return `restart ${deploymentRef(action.namespace, action.deployment)} (rollout restart: patch the pod template's ${RESTARTED_AT} annotation)`;
  },
};
