import type { KubeQuery } from './kubernetes.js';
import { kubeAge, listPods, podsWhat, table, type Pod } from './kubernetes-objects.js';

/**
 * `kubernetes: pods` — the answer of `kubectl get pods -o wide`, with why containers are down: the
 * waiting reason (CrashLoopBackOff, ImagePullBackOff) and the last termination reason (OOMKilled, Error).
 * Fails when any pod is not ready, or when there is no pod at all.
 */

export interface PodRow {
  name: string;
  phase: string;
  ready: string;
  restarts: number;
  /** Waiting reason, else the current or last termination reason. */
  reason: string | null;
  lastTermination: string | null;
  age: string;
  node: string | null;
  isReady: boolean;
}

export const podsQuery: KubeQuery<'pods'> = async (step, kube, now) => {
  const rows = (await listPods(kube, step)).map((p) => podRow(p, now));
  if (rows.length === 0) return { ok: false, lines: [`no pods found for ${podsWhat(step)}`], value: [], error: `no pods found for ${podsWhat(step)}` };
  const lines = table(
    ['NAME', 'READY', 'PHASE', 'RESTARTS', 'REASON', 'LAST TERMINATION', 'AGE', 'NODE'],
    rows.map((r) => [r.name, r.ready, r.phase, String(r.restarts), r.reason ?? '-', r.lastTermination ?? '-', r.age, r.node ?? '<none>']),
  );
  const notReady = rows.filter((r) => !r.isReady);
  return {
    ok: notReady.length === 0,
    lines,
    value: rows,
    ...(notReady.length > 0 ? { error: `${notReady.length} of ${rows.length} pods not ready: ${notReady.map((r) => r.name).join(', ')}` } : {}),
  };
};

export function podRow(pod: Pod, now: number): PodRow {
  const statuses = pod.status?.containerStatuses ?? [];
  const total = pod.spec.containers.length || statuses.length;
  const readyCount = statuses.filter((c) => c.ready).length;
  const waiting = statuses.map((c) => c.state?.waiting?.reason).find((r) => r !== undefined);
  const terminated = statuses.map((c) => c.state?.terminated?.reason).find((r) => r !== undefined);
  const last = statuses.map((c) => c.lastState?.terminated?.reason).find((r) => r !== undefined);
  const readyCondition = pod.status?.conditions?.find((c) => c.type === 'Ready');
  const isReady = readyCondition ? readyCondition.status === 'True' : total > 0 && readyCount === total;
  return {
    name: pod.metadata.name,
    phase: pod.status?.phase ?? 'Unknown',
    ready: `${readyCount}/${total}`,
    restarts: statuses.reduce((n, c) => n + c.restartCount, 0),
    reason: waiting ?? terminated ?? pod.status?.reason ?? null,
    lastTermination: last ?? null,
    age: kubeAge(pod.metadata.creationTimestamp, now),
    node: pod.spec.nodeName ?? null,
    isReady,
  };
}
