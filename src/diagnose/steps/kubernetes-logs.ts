import type { KubeQuery } from './kubernetes.js';
import { listPods, namespacedPath, podsWhat, type Pod } from './kubernetes-objects.js';

/**
 * `kubernetes: logs` — a script's `kubectl logs … --tail=200 | grep -i error | tail -20`, for every pod
 * rather than one: the last `tail` lines of each pod (of its `previous`, crashed container when asked),
 * those matching `grep` (case-insensitive), the last `last` of them, each prefixed with the pod's name.
 * The filtering is done here on the text; nothing is ever passed to a shell.
 */

/** kubectl's annotation naming the container `kubectl logs` reads by default. */
const DEFAULT_CONTAINER = 'kubectl.kubernetes.io/default-container';

export interface PodLog {
  pod: string;
  container: string;
  lines: string[];
  error?: string;
}

export const logsQuery: KubeQuery<'logs'> = async (step, kube) => {
  const pods = await listPods(kube, step);
  if (pods.length === 0) return { ok: false, lines: [`no pods found for ${podsWhat(step)}`], value: [], error: `no pods found for ${podsWhat(step)}` };
  const pattern = step.grep !== undefined ? new RegExp(step.grep, 'i') : undefined;
  const logs = await Promise.all(
    pods.map(async (pod): Promise<PodLog> => {
      const container = step.container ?? defaultContainer(pod);
      const params = new URLSearchParams({ container, tailLines: String(step.tail) });
      if (step.previous) params.set('previous', 'true');
      try {
        const text = await kube.getText(`${namespacedPath('', step.namespace, 'pods')}/${encodeURIComponent(pod.metadata.name)}/log?${params}`);
        const all = text.split('\n').filter((l, i, a) => !(l === '' && i === a.length - 1));
        const kept = (pattern ? all.filter((l) => pattern.test(l)) : all).slice(-step.last);
        return { pod: pod.metadata.name, container, lines: kept };
      } catch (err) {
        return { pod: pod.metadata.name, container, lines: [], error: (err as Error).message };
      }
    }),
  );
  const lines = logs.flatMap((l) => (l.error !== undefined ? [`${l.pod}: (no log: ${l.error})`] : l.lines.map((line) => `${l.pod}: ${line}`)));
  const read = logs.filter((l) => l.error === undefined).length;
  if (lines.length === 0) {
    lines.push(`(no lines${pattern ? ` matching /${step.grep}/i` : ''} in the last ${step.tail} lines of ${pods.length} pod${pods.length === 1 ? '' : 's'})`);
  }
  return {
    ok: read > 0,
    lines,
    value: logs,
    ...(read === 0 ? { error: `no pod log could be read for ${podsWhat(step)}` } : {}),
  };
};

function defaultContainer(pod: Pod): string {
  return pod.metadata.annotations?.[DEFAULT_CONTAINER] ?? pod.spec.containers[0]?.name ?? '';
}
