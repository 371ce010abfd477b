import type { ActionExecutor } from './action.js';
import { connectKube, deploymentPath, deploymentRef, PATCH } from '../../shared/kubernetes.js';

/**
 * `kubernetes_rollout_undo` — what `kubectl rollout undo` does, step for step (kubectl's
 * DeploymentRollbacker): find the Deployment's ReplicaSets (its selector, then the controller
 * ownerReference), pick the previous revision by the `deployment.kubernetes.io/revision` annotation (or
 * `to_revision`), and JSON-patch the Deployment's pod template to that ReplicaSet's template without the
 * `pod-template-hash` label, carrying over the ReplicaSet's annotations (change-cause, …).
 */

export const REVISION_ANNOTATION = 'deployment.kubernetes.io/revision';
export const POD_TEMPLATE_HASH = 'pod-template-hash';

/** Annotations that describe the Deployment itself and stay as they are (kubectl's annotationsToSkip). */
const ANNOTATIONS_TO_KEEP = new Set([
  'kubectl.kubernetes.io/last-applied-configuration',
  REVISION_ANNOTATION,
  'deployment.kubernetes.io/revision-history',
  'deployment.kubernetes.io/desired-replicas',
  'deployment.kubernetes.io/max-replicas',
  'deprecated.deployment.rollback.to',
]);

interface ObjectMeta {
  name?: string;
  uid?: string;
  annotations?: Record<string, string>;
  labels?: Record<string, string>;
  ownerReferences?: Array<{ uid?: string; controller?: boolean }>;
}
interface PodTemplate {
  metadata?: ObjectMeta;
  [key: string]: unknown;
}
interface LabelSelector {
  matchLabels?: Record<string, string>;
  matchExpressions?: Array<{ key: string; operator: string; values?: string[] }>;
}
interface Deployment {
  metadata: ObjectMeta;
  spec: { paused?: boolean; selector?: LabelSelector; template: PodTemplate };
}
interface ReplicaSet {
  metadata: ObjectMeta;
  spec: { template: PodTemplate };
}

/** A LabelSelector in the `labelSelector=` query syntax. */
export function selectorToString(selector: LabelSelector | undefined): string {
  const parts: string[] = [];
  for (const [k, v] of Object.entries(selector?.matchLabels ?? {})) parts.push(`${k}=${v}`);
  for (const e of selector?.matchExpressions ?? []) {
    const values = (e.values ?? []).join(',');
    if (e.operator === 'In') parts.push(`${e.key} in (${values})`);
    else if (e.operator === 'NotIn') parts.push(`${e.key} notin (${values})`);
    else if (e.operator === 'Exists') parts.push(e.key);
    else if (e.operator === 'DoesNotExist') parts.push(`!${e.key}`);
    else throw new Error(`unsupported label selector operator ${JSON.stringify(e.operator)}`);
  }
  return parts.join(',');
}

function revisionOf(obj: { metadata: ObjectMeta }): number | undefined {
  const raw = obj.metadata.annotations?.[REVISION_ANNOTATION];
  if (raw === undefined || !/^\d+$/.test(raw)) return undefined;
  return Number(raw);
}

/** A template without the pod-template-hash label (the controller adds it to each ReplicaSet's copy). */
function withoutHash(template: PodTemplate): PodTemplate {
  const copy = structuredClone(template);
  if (copy.metadata?.labels) {
    delete copy.metadata.labels[POD_TEMPLATE_HASH];
  }
  return copy;
}

/** Key order does not make two templates different. */
function canonical(value: unknown): string {
  return JSON.stringify(value, (_k, v: unknown) =>
    v && typeof v === 'object' && !Array.isArray(v) ? Object.fromEntries(Object.entries(v as Record<string, unknown>).sort(([a], [b]) => a.localeCompare(b))) : v,
  );
}

/** kubectl's deploymentRevision: the given revision, or the second newest one. */
export function pickRevision(replicaSets: ReplicaSet[], toRevision: number | undefined, deploymentName: string): { rs: ReplicaSet; revision: number } {
  const byRevision = replicaSets
    .map((rs) => ({ rs, revision: revisionOf(rs) }))
    .filter((x): x is { rs: ReplicaSet; revision: number } => x.revision !== undefined)
    .sort((a, b) => b.revision - a.revision);
  if (toRevision !== undefined) {
    const found = byRevision.find((x) => x.revision === toRevision);
    if (!found) throw new Error(`unable to find specified revision ${toRevision} in history of deployment "${deploymentName}"`);
    return found;
  }
  const previous = byRevision[1];
  if (!previous) throw new Error(`no rollout history found for deployment "${deploymentName}"`);
  return previous;
}

export const rolloutUndoExecutor: ActionExecutor<'kubernetes_rollout_undo'> = {
  type: 'kubernetes_rollout_undo',
  async execute(action, ctx) {
    const started = performance.now();
    const { namespace, deployment: name } = action;
    const kube = await connectKube(ctx.kubernetes, ctx);
    const deployment = await kube.request<Deployment>('GET', deploymentPath(namespace, name));

    const query = new URLSearchParams({ labelSelector: selectorToString(deployment.spec.selector) });
    const list = await kube.request<{ items?: ReplicaSet[] }>('GET', `/apis/apps/v1/namespaces/${encodeURIComponent(namespace)}/replicasets?${query}`);
    // The selector may match ReplicaSets of other owners; only those this Deployment controls count.
    const owned = (list.items ?? []).filter((rs) => rs.metadata.ownerReferences?.some((o) => o.controller && o.uid === deployment.metadata.uid));

    const { rs, revision } = pickRevision(owned, action.to_revision, name);
    const currentRevision = revisionOf(deployment);
    if (deployment.spec.paused) {
      throw new Error("you cannot rollback a paused deployment; resume it first with 'kubectl rollout resume' and try again");
    }
    const template = withoutHash(rs.spec.template);
    if (canonical(template) === canonical(withoutHash(deployment.spec.template))) {
      // kubectl calls this a skipped rollback and exits 0; for remediation nothing was fixed, so it fails.
      throw new Error(`skipped rollback: the current template of deployment "${name}" already matches revision ${revision}`);
    }

    const annotations: Record<string, string> = {};
    for (const [k, v] of Object.entries(deployment.metadata.annotations ?? {})) if (ANNOTATIONS_TO_KEEP.has(k)) annotations[k] = v;
    for (const [k, v] of Object.entries(rs.metadata.annotations ?? {})) if (!ANNOTATIONS_TO_KEEP.has(k)) annotations[k] = v;

    await kube.request('PATCH', deploymentPath(namespace, name), {
      contentType: PATCH.json,
      data: [
        { op: 'replace', path: '/spec/template', value: template },
        { op: 'replace', path: '/metadata/annotations', value: annotations },
      ],
    });
    return {
      ok: true,
      output: `deployment.apps/${name} rolled back (revision ${currentRevision ?? '?'} → template of revision ${revision}, ReplicaSet ${rs.metadata.name ?? '?'})`,
      durationMs: performance.now() - started,
      details: { namespace, deployment: name, fromRevision: currentRevision ?? null, toRevision: revision, replicaSet: rs.metadata.name ?? null },
    };
  },
  describe(action) {
    const target = action.to_revision !== undefined ? `revision ${action.to_revision}` : 'the previous revision';
    return `roll back ${deploymentRef(action.namespace, action.deployment)} to ${target} (rollout undo)`;
  },
};
