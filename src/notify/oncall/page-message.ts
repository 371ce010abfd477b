import { formatDuration } from '../../config/index.js';
import type { Incident, IncidentEvent, IncidentEventOf } from '../../incidents/index.js';
import { clip } from '../../shared/text.js';
import { buildNotificationMessage, type NotificationMessage } from '../message.js';

/**
 * What a page says: the incident (title, service, severity, cause), why people are paged, the diagnosis
 * so far (the latest runbook reports), the suspects (deployments and flag changes before it started) and
 * how to acknowledge. Built from the timeline when the page is delivered, so it carries what is known then.
 */

const MAX_REPORT_CHARS = 1500;

export interface PageMessageOptions {
  incident: Incident;
  timeline: IncidentEvent[];
  paged: IncidentEventOf<'paged'>;
  idempotencyKey: string;
  baseUrl?: string;
  /** The acknowledge link, when Medic's public URL is known. */
  ackUrl?: string;
  ackExpiresAt?: number;
}

function pageDetails(o: Pick<PageMessageOptions, 'timeline' | 'paged' | 'ackUrl' | 'ackExpiresAt' | 'incident'>): string[] {
  const p = o.paged.payload;
  const lines = [`Paged: level ${p.level} of ${p.policy}${p.round > 1 ? ` (round ${p.round})` : ''}${p.person ? `, ${p.person}` : ''} — ${p.reason ?? ''}`];
  for (const e of o.timeline) {
    if (e.type === 'runbook_finished') {
      lines.push(`Diagnosis (${String(e.payload.runbook)}): ${String(e.payload.ok)} step(s) ok, ${String(e.payload.failed)} failed`);
      if (typeof e.payload.report === 'string') lines.push(clip(e.payload.report, MAX_REPORT_CHARS));
    } else if (e.type === 'deployment_correlated') {
      lines.push(`Suspect: ${String(e.payload.service)} ${String(e.payload.version)} deployed by ${String(e.payload.deployed_by)}, ${String(e.payload.minutes_before_start)} min before it started`);
    } else if (e.type === 'flag_changed' && e.payload.correlated === true) {
      lines.push(`Suspect: flag ${String(e.payload.flag)} changed by ${String(e.payload.changed_by)}, ${String(e.payload.minutes_before_start)} min before it started`);
    }
  }
  if (o.ackUrl && o.ackExpiresAt !== undefined) {
    lines.push(`Acknowledge (works once, for ${formatDuration(Math.max(0, o.ackExpiresAt - o.paged.at))}): ${o.ackUrl}`);
  } else {
    lines.push(`Acknowledge: medic incident ack ${o.incident.id} (set server.public_url to get a link in pages)`);
  }
  return lines;
}

export function pageMessage(o: PageMessageOptions): NotificationMessage {
  const i = o.incident;
  return buildNotificationMessage({
    event: 'paged',
    idempotencyKey: o.idempotencyKey,
    incident: { id: i.id, title: i.title, service: i.service, severity: i.severity, status: i.status, labels: i.labels, started_at: i.startedAt, detected_at: i.detectedAt, cause: i.cause, ...i.phases },
    details: pageDetails(o),
    ...(o.baseUrl ? { baseUrl: o.baseUrl } : {}),
  });
}
