import type { KubeQuery } from './kubernetes.js';
import { getDeployment, namespacedPath, selectorString, table, type ObjectMeta } from './kubernetes-objects.js';

/**
 * `kubernetes: rollout_history` — what `kubectl rollout history` shows, and more: each revision of a
 * Deployment is one of its ReplicaSets (owned by it, numbered by the `deployment.kubernetes.io/revision`
 * annotation), shown with its image(s), creation time and change cause, newest first, the current one
 * marked.
 */

export const REVISION = 'deployment.kubernetes.io/revision';
export const CHANGE_CAUSE = 'kubernetes.io/change-cause';

interface ReplicaSet {
  metadata: ObjectMeta;
  spec: { template?: { spec?: { containers?: Array<{ name: string; image?: string }> } } };
}

export interface RevisionRow {
  revision: number;
  current: boolean;
  replicaSet: string;
  images: string[];
  created: string | null;
  changeCause: string | null;
}

export const rolloutHistoryQuery: KubeQuery<'rollout_history'> = async (step, kube) => {
  const deployment = await getDeployment(kube, step.namespace, step.deployment);
  const current = deployment.metadata.annotations?.[REVISION];
  const query = new URLSearchParams({ labelSelector: selectorString(deployment.spec.selector) });
  const list = await kube.request<{ items: ReplicaSet[] }>('GET', `${namespacedPath('apps/v1', step.namespace, 'replicasets')}?${query}`);
  // The selector may also match ReplicaSets of another owner; only this Deployment's are its revisions.
  const rows: RevisionRow[] = list.items
    .filter((rs) => rs.metadata.ownerReferences?.some((o) => o.controller && o.kind === 'Deployment' && o.uid === deployment.metadata.uid))
    .filter((rs) => rs.metadata.annotations?.[REVISION] !== undefined)
    .map((rs) => ({
      revision: Number(rs.metadata.annotations![REVISION]),
      current: rs.metadata.annotations![REVISION] === current,
      replicaSet: rs.metadata.name,
      images: (rs.spec.template?.spec?.containers ?? []).map((c) => c.image ?? '?'),
      created: rs.metadata.creationTimestamp ?? null,
      changeCause: rs.metadata.annotations?.[CHANGE_CAUSE] ?? null,
    }))
    .sort((a, b) => b.revision - a.revision);
  if (rows.length === 0) return { ok: true, lines: [`no revisions found for deployment ${step.deployment} in namespace ${step.namespace}`], value: [] };
  const lines = table(
    ['REVISION', 'IMAGES', 'CREATED', 'CHANGE-CAUSE'],
    rows.map((r) => [`${r.revision}${r.current ? ' (current)' : ''}`, r.images.join(', '), r.created ?? '<unknown>', r.changeCause ?? '<none>']),
  );
  return { ok: true, lines: [`deployment.apps/${step.deployment}`, ...lines], value: rows };
};
