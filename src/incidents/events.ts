/**
 * The incident timeline's event types (docs/ARCHITECTURE.md, "The timeline is the source of truth"). Events are append-only: the database rejects UPDATE
 * and DELETE on incident_events, and every phase timestamp is derived from them (see derive.ts).
 */
export const EVENT_TYPES = [
  'opened',
  'alert_fired',
  'alert_resolved',
  'alert_suppressed',
  'check_failed',
  'check_recovered',
  'acknowledged',
  'runbook_started',
  'runbook_step_finished',
  'runbook_finished',
  'cause_identified',
  'remediation_matched',
  'remediation_started',
  'remediation_finished',
  'approval_requested',
  'approved',
  'rejected',
  'approval_expired',
  'escalated',
  'flag_changed',
  'deployment_correlated',
  'rolled_back',
  'symptom_joined',
  'resolved',
  'verification_started',
  'verification_progress',
  'verified',
  'verification_failed',
  'reopened',
  'note',
  /** Words for the public status page: payload { status, message, by } (see public-update.ts). */
  'public_update',
  'notification_sent',
  'notification_failed',
] as const;
export type EventType = (typeof EVENT_TYPES)[number];

/** An event to append. `fix: true` in the payload marks an event that applied a fix (sets resolved_at). */
export interface NewEvent {
  type: EventType;
  /** Who: `system`, a rule name, a token's name, `cli:<user>`. */
  actor: string;
  /** When it happened (default: now). */
  at?: number;
  payload?: Record<string, unknown>;
}

export interface IncidentEvent {
  id: number;
  incidentId: number;
  at: number;
  actor: string;
  type: EventType;
  payload: Record<string, unknown>;
  createdAt: number;
}

export const SYSTEM = 'system';
