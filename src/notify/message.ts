import { createHash } from 'node:crypto';
import { formatDuration, type NotifyEvent, type Severity } from '../config/index.js';
import type { PhaseDurations } from '../incidents/phases.js';
import { toSeverity } from '../incidents/severity.js';
import { oneLine } from '../shared/text.js';

/**
 * What every channel renders: one incident event, said once for people (`text`) and once as data. A
 * message is plain JSON, so a notification job can carry it in its payload and a retry sends the same
 * thing again.
 */

export interface NotificationIncident {
  id: number;
  title: string;
  service: string | null;
  severity: Severity;
  /** open | acknowledged | mitigating | resolved | verifying | closed | reopened */
  status: string;
  labels: Record<string, string>;
  /** UTC ms: first evidence of impact. */
  startedAt: number;
  /** UTC ms: when Medic opened the incident. */
  detectedAt: number;
  cause?: string;
  /** The incident's page in Medic's UI, when the public URL is known. */
  url?: string;
  phases?: Partial<PhaseDurations>;
}

export interface NotificationMessage {
  event: NotifyEvent;
  incident: NotificationIncident;
  /** One line, e.g. "[P1] Incident #12 opened: Payment error rate > 5% (payment-service)". */
  text: string;
  /** A few more lines, e.g. the remediation's outcome. */
  details?: string[];
  /** An incident's first notification: what the cause and fix were last time (see last-time.ts). */
  lastTime?: string;
  /** Unique per delivery (one event to one channel), the same on every retry: receivers dedup on it. */
  idempotencyKey: string;
}

/** How each event reads in a sentence and a subject line. */
export const EVENT_LABELS: Record<NotifyEvent, string> = {
  opened: 'opened',
  acknowledged: 'acknowledged',
  escalated: 'escalated',
  remediation_finished: 'remediation finished',
  resolved: 'resolved',
  verified: 'recovery verified',
  degraded: 'degraded',
  paged: 'needs you',
};

/** An incident as the store keeps it (snake_case, labels as JSON text) or already parsed. */
export interface IncidentLike {
  id: number;
  title: string;
  service: string | null;
  severity: string;
  status: string;
  labels: Record<string, string> | string;
  started_at: number | null;
  detected_at: number | null;
  created_at?: number;
  cause?: string | null;
  detect_ms?: number | null;
  diagnose_ms?: number | null;
  resolve_ms?: number | null;
  verify_ms?: number | null;
  mttr_ms?: number | null;
}

export interface BuildMessageOptions {
  event: NotifyEvent;
  incident: IncidentLike;
  /** See deliveryKey(). */
  idempotencyKey: string;
  /** Medic's public URL (e.g. "https://medic.example.com"); the message links to the incident page. */
  baseUrl?: string;
  details?: string[];
  /** Who did it, for acknowledged/resolved ("alice", a rule name). */
  actor?: string;
  /** See NotificationMessage.lastTime. */
  lastTime?: string;
}

/**
 * A delivery's idempotency key, derived from what makes the delivery unique (the incident, the timeline
 * event and the channel), so a retried or re-enqueued job produces the same key. Hex, safe in a header.
 */
export function deliveryKey(parts: { incidentId: number; eventId: number | string; channel: string }): string {
  const digest = createHash('sha256').update(JSON.stringify([parts.incidentId, String(parts.eventId), parts.channel])).digest('hex');
  return `${parts.incidentId}-${parts.eventId}-${digest.slice(0, 16)}`.replace(/[^A-Za-z0-9._-]/g, '_');
}

function parseLabels(labels: IncidentLike['labels']): Record<string, string> {
  if (typeof labels !== 'string') return { ...labels };
  try {
    const parsed: unknown = JSON.parse(labels);
    if (parsed && typeof parsed === 'object' && !Array.isArray(parsed)) {
      return Object.fromEntries(Object.entries(parsed).map(([k, v]) => [k, String(v)]));
    }
  } catch {}
  return {};
}

export function incidentUrl(baseUrl: string, id: number): string {
  return new URL(`incidents/${id}`, baseUrl.endsWith('/') ? baseUrl : `${baseUrl}/`).href;
}

export function buildNotificationMessage(options: BuildMessageOptions): NotificationMessage {
  const i = options.incident;
  const detectedAt = i.detected_at ?? i.started_at ?? i.created_at ?? 0;
  const incident: NotificationIncident = {
    id: i.id,
    title: oneLine(i.title),
    service: i.service,
    severity: toSeverity(i.severity),
    status: i.status,
    labels: parseLabels(i.labels),
    startedAt: i.started_at ?? detectedAt,
    detectedAt,
  };
  if (i.cause) incident.cause = i.cause;
  if (options.baseUrl) incident.url = incidentUrl(options.baseUrl, i.id);
  const phases: Partial<PhaseDurations> = {};
  for (const key of ['detect_ms', 'diagnose_ms', 'resolve_ms', 'verify_ms', 'mttr_ms'] as const) {
    const v = i[key];
    if (typeof v === 'number') phases[key] = v;
  }
  if (Object.keys(phases).length > 0) incident.phases = phases;

  const message: NotificationMessage = {
    event: options.event,
    incident,
    text: messageText(options.event, incident, options.actor),
    idempotencyKey: options.idempotencyKey,
  };
  if (options.details?.length) message.details = options.details;
  if (options.lastTime) message.lastTime = oneLine(options.lastTime);
  return message;
}

function messageText(event: NotifyEvent, incident: NotificationIncident, actor?: string): string {
  const service = incident.service ? ` (${incident.service})` : '';
  const by = actor ? ` by ${oneLine(actor)}` : '';
  const mttr = event === 'verified' && typeof incident.phases?.mttr_ms === 'number' ? `, MTTR ${formatDuration(incident.phases.mttr_ms)}` : '';
  return `[${incident.severity}] Incident #${incident.id} ${EVENT_LABELS[event]}${by}${mttr}: ${incident.title}${service}`;
}
