import type { KubeQuery } from './kubernetes.js';
import { kubeAge, namespacedPath, table } from './kubernetes-objects.js';

/**
 * `kubernetes: events` — the namespace's core/v1 events of the last `since` (default 15m), Warning events
 * first, then newest first: reason, object, message, count, last seen. Narrowed to one pod, or to one
 * Deployment with its ReplicaSets and pods (the objects named after it, as Kubernetes names them).
 */

interface CoreEvent {
  type?: string;
  reason?: string;
  message?: string;
  count?: number;
  firstTimestamp?: string | null;
  lastTimestamp?: string | null;
  eventTime?: string | null;
  series?: { count?: number; lastObservedTime?: string } | null;
  metadata: { creationTimestamp?: string };
  involvedObject: { kind?: string; name?: string };
}

export interface EventRow {
  type: string;
  reason: string;
  object: string;
  message: string;
  count: number;
  lastSeen: string | null;
}

export const eventsQuery: KubeQuery<'events'> = async (step, kube, now) => {
  const params = new URLSearchParams();
  if (step.pod !== undefined) params.set('fieldSelector', `involvedObject.name=${step.pod}`);
  const list = await kube.request<{ items: CoreEvent[] }>('GET', `${namespacedPath('', step.namespace, 'events')}${params.size ? `?${params}` : ''}`);
  const from = now - step.since;
  const rows: EventRow[] = list.items
    .filter((e) => step.deployment === undefined || e.involvedObject.name === step.deployment || e.involvedObject.name?.startsWith(`${step.deployment}-`))
    .map((e) => ({
      type: e.type ?? 'Normal',
      reason: e.reason ?? '',
      object: `${(e.involvedObject.kind ?? '').toLowerCase()}/${e.involvedObject.name ?? ''}`,
      message: (e.message ?? '').trim(),
      count: e.series?.count ?? e.count ?? 1,
      lastSeen: e.series?.lastObservedTime ?? e.lastTimestamp ?? e.eventTime ?? e.metadata.creationTimestamp ?? null,
    }))
    .filter((r) => r.lastSeen !== null && Date.parse(r.lastSeen) >= from)
    .sort((a, b) => Number(b.type === 'Warning') - Number(a.type === 'Warning') || Date.parse(b.lastSeen!) - Date.parse(a.lastSeen!));
  if (rows.length === 0) return { ok: true, lines: ['no events in the window'], value: [] };
  const lines = table(
    ['TYPE', 'REASON', 'OBJECT', 'COUNT', 'LAST SEEN', 'MESSAGE'],
    rows.map((r) => [r.type, r.reason, r.object, String(r.count), kubeAge(r.lastSeen ?? undefined, now), r.message]),
  );
  return { ok: true, lines, value: rows };
};
