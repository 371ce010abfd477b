import type { Severity } from '../config/index.js';
import { fromJson, type Row } from '../store/index.js';
import type { IncidentStatus } from './derive.js';
import { readEventBody, type IncidentEvent } from './events.js';
import type { PhaseDurations } from './phases.js';

/** An incident as the rest of Medic sees it (the row, with JSON decoded and names in camelCase). */
export interface Incident {
  id: number;
  fingerprint: string;
  title: string;
  service: string | null;
  severity: Severity;
  labels: Record<string, string>;
  status: IncidentStatus;
  source: string;
  alertName: string | null;
  parentId: number | null;
  groupKey: string | null;
  cause: string | null;
  startedAt: number | null;
  detectedAt: number | null;
  acknowledgedAt: number | null;
  diagnosedAt: number | null;
  resolvedAt: number | null;
  verifiedAt: number | null;
  closedAt: number | null;
  phases: PhaseDurations;
  reopenCount: number;
  externalId: string | null;
  createdAt: number;
  updatedAt: number;
}

export const ACTIVE_STATUSES: IncidentStatus[] = ['open', 'acknowledged', 'mitigating', 'resolved', 'verifying', 'reopened'];

export function toIncident(r: Row<'incidents'>): Incident {
  return {
    id: Number(r.id),
    fingerprint: r.fingerprint,
    title: r.title,
    service: r.service,
    severity: r.severity as Severity,
    labels: fromJson(r.labels, {}),
    status: r.status as IncidentStatus,
    source: r.source,
    alertName: r.alert_name,
    parentId: r.parent_id === null ? null : Number(r.parent_id),
    groupKey: r.group_key,
    cause: r.cause,
    startedAt: r.started_at,
    detectedAt: r.detected_at,
    acknowledgedAt: r.acknowledged_at,
    diagnosedAt: r.diagnosed_at,
    resolvedAt: r.resolved_at,
    verifiedAt: r.verified_at,
    closedAt: r.closed_at,
    phases: { detect_ms: r.detect_ms, diagnose_ms: r.diagnose_ms, resolve_ms: r.resolve_ms, verify_ms: r.verify_ms, mttr_ms: r.mttr_ms },
    reopenCount: r.reopen_count,
    externalId: r.external_id,
    createdAt: r.created_at,
    updatedAt: r.updated_at,
  };
}

export function toEvent(r: Row<'incident_events'>): IncidentEvent {
  return {
    id: Number(r.id),
    incidentId: Number(r.incident_id),
    at: r.at,
    actor: r.actor,
    ...readEventBody(r.type, fromJson(r.payload, {})),
    createdAt: r.created_at,
  };
}
