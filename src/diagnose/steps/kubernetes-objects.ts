import { deploymentPath, type KubeClient } from '../../shared/kubernetes.js';

/**
 * What the `kubernetes:` step queries share: the API objects' shapes (only the fields read), finding a
 * step's pods, and printing a table the way kubectl does.
 */


export interface ObjectMeta {
  name: string;
  namespace?: string;
  uid?: string;
  creationTimestamp?: string;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
  ownerReferences?: Array<{ kind: string; name: string; uid: string; controller?: boolean }>;
}
export interface LabelSelector {
  matchLabels?: Record<string, string>;
  matchExpressions?: Array<{ key: string; operator: 'In' | 'NotIn' | 'Exists' | 'DoesNotExist'; values?: string[] }>;
}
export interface Deployment {
  metadata: ObjectMeta;
  spec: { selector: LabelSelector };
}
export interface ContainerState {
  waiting?: { reason?: string; message?: string };
  running?: { startedAt?: string };
  terminated?: { reason?: string; exitCode?: number; finishedAt?: string };
}
export interface Pod {
  metadata: ObjectMeta;
  spec: { nodeName?: string; containers: Array<{ name: string; image?: string }> };
  status?: {
    phase?: string;
    reason?: string;
    conditions?: Array<{ type: string; status: string }>;
    containerStatuses?: Array<{ name: string; ready: boolean; restartCount: number; state?: ContainerState; lastState?: ContainerState }>;
  };
}

/** `/api/v1/namespaces/<ns>/<resource>` or `/apis/<group>/namespaces/<ns>/<resource>`. */
export function namespacedPath(group: string, namespace: string, resource: string): string {
  const root = group === '' ? '/api/v1' : `/apis/${group}`;
  return `${root}/namespaces/${encodeURIComponent(namespace)}/${resource}`;
}

/** A LabelSelector as the `labelSelector` query parameter writes it (what kubectl sends). */
export function selectorString(selector: LabelSelector): string {
  const parts = Object.entries(selector.matchLabels ?? {}).map(([k, v]) => `${k}=${v}`);
  for (const e of selector.matchExpressions ?? []) {
    if (e.operator === 'In') parts.push(`${e.key} in (${(e.values ?? []).join(',')})`);
    else if (e.operator === 'NotIn') parts.push(`${e.key} notin (${(e.values ?? []).join(',')})`);
    else if (e.operator === 'Exists') parts.push(e.key);
    else parts.push(`!${e.key}`);
  }
  return parts.join(',');
}

export async function getDeployment(kube: KubeClient, namespace: string, name: string): Promise<Deployment> {
  return kube.request<Deployment>('GET', deploymentPath(namespace, name));
}

/** The pods a step names: one pod, a Deployment's pods (by its own selector), or a label selector's. */
export async function listPods(kube: KubeClient, step: { namespace: string; deployment?: string | undefined; pod?: string | undefined; selector?: string | undefined }): Promise<Pod[]> {
  if (step.pod !== undefined) return [await kube.request<Pod>('GET', `${namespacedPath('', step.namespace, 'pods')}/${encodeURIComponent(step.pod)}`)];
  const selector = step.deployment !== undefined ? selectorString((await getDeployment(kube, step.namespace, step.deployment)).spec.selector) : step.selector!;
  const list = await kube.request<{ items: Pod[] }>('GET', `${namespacedPath('', step.namespace, 'pods')}?${new URLSearchParams({ labelSelector: selector })}`);
  return [...list.items].sort((a, b) => a.metadata.name.localeCompare(b.metadata.name));
}

/** What the step's pods are called in messages: "deployment payment-service", "pods app=x". */
export function podsWhat(step: { deployment?: string | undefined; pod?: string | undefined; selector?: string | undefined; namespace: string }): string {
  const what = step.deployment !== undefined ? `deployment ${step.deployment}` : step.pod !== undefined ? `pod ${step.pod}` : `pods ${step.selector}`;
  return `${what} in namespace ${step.namespace}`;
}

/** Age as kubectl shows it: the largest unit, "45s", "12m", "5h", "3d". */
export function kubeAge(since: string | undefined, now: number): string {
  if (!since) return '<unknown>';
  const s = Math.max(0, Math.floor((now - Date.parse(since)) / 1000));
  if (s < 120) return `${s}s`;
  if (s < 120 * 60) return `${Math.floor(s / 60)}m`;
  if (s < 48 * 3600) return `${Math.floor(s / 3600)}h`;
  return `${Math.floor(s / 86400)}d`;
}

/** Columns padded to their widest cell, as kubectl prints a table. */
export function table(header: string[], rows: string[][]): string[] {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: string[]) =>
    cells
      .map((c, i) => (i === cells.length - 1 ? c : c.padEnd(widths[i]!)))
      .join('   ')
      .trimEnd();
  return [line(header), ...rows.map(line)];
}
