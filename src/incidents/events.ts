import { z } from 'zod';
import { issuesLine } from '../shared/zod-issues.js';
import * as p from './event-payloads.js';

/**
 * The incident timeline's events: a union discriminated by `type`, one payload schema per type
 * (event-payloads.ts). Events are append-only: the database rejects UPDATE and DELETE on
 * incident_events, and every phase timestamp is derived from them (see derive.ts). Each event is checked
 * against its schema when it is appended (timeline.ts), so what is stored is what its type declares.
 */

const event = <T extends string, P extends z.ZodType>(type: T, payload: P) => z.object({ type: z.literal(type), payload });

export const incidentEventBody = z.discriminatedUnion('type', [
  event('opened', p.openedPayload),
  event('alert_fired', p.alertFiredPayload),
  event('alert_resolved', p.alertResolvedPayload),
  event('check_recovered', p.checkRecoveredPayload),
  event('acknowledged', p.acknowledgedPayload),
  event('runbook_started', p.runbookStartedPayload),
  event('runbook_step_finished', p.runbookStepFinishedPayload),
  event('runbook_finished', p.runbookFinishedPayload),
  event('cause_identified', p.causeIdentifiedPayload),
  event('remediation_matched', p.remediationMatchedPayload),
  event('remediation_started', p.remediationStartedPayload),
  event('remediation_finished', p.remediationFinishedPayload),
  event('approval_requested', p.approvalRequestedPayload),
  event('approved', p.approvalDecisionPayload),
  event('rejected', p.approvalDecisionPayload),
  event('approval_expired', p.approvalExpiredPayload),
  event('escalated', p.escalatedPayload),
  event('flag_changed', p.flagChangedPayload),
  event('deployment_correlated', p.deploymentCorrelatedPayload),
  event('rolled_back', p.rolledBackPayload),
  event('symptom_joined', p.symptomJoinedPayload),
  event('resolved', p.resolvedPayload),
  event('verification_started', p.verificationStartedPayload),
  event('verification_progress', p.storedVerificationProgressPayload),
  event('verified', p.verifiedPayload),
  event('verification_failed', p.verificationFailedPayload),
  event('reopened', p.reopenedPayload),
  event('note', p.notePayload),
  event('public_update', p.publicUpdatePayload),
  event('notification_sent', p.notificationSentPayload),
  event('notification_failed', p.notificationFailedPayload),
]);

/** An event's type and payload, as stored. */
export type EventBody = z.output<typeof incidentEventBody>;
export type EventType = EventBody['type'];
export type EventPayload<T extends EventType = EventType> = Extract<EventBody, { type: T }>['payload'];

export const EVENT_TYPES = incidentEventBody.options.map((o) => o.shape.type.value) as [EventType, ...EventType[]];

/** A payload with nothing required may be left out (an acknowledgement by a responder carries nothing). */
type NewEventBody<B> = B extends { type: infer T; payload: infer P } ? (Partial<P> extends P ? { type: T; payload?: P } : { type: T; payload: P }) : never;

/** An event to append. */
export type NewEvent = NewEventBody<z.input<typeof incidentEventBody>> & {
  /** Who: `system`, a rule name, a token's name, `cli:<user>`. */
  actor: string;
  /** When it happened (default: now). */
  at?: number;
};

export type IncidentEvent = EventBody & {
  id: number;
  incidentId: number;
  at: number;
  actor: string;
  createdAt: number;
};
export type IncidentEventOf<T extends EventType> = Extract<IncidentEvent, { type: T }>;

export const SYSTEM = 'system';

/** An event refused before anything was stored: its type is unknown or its payload is not what the type carries. */
export class InvalidEventError extends Error {
  override name = 'InvalidEventError';
}

/** Checks an event's type and payload (as it will be stored) against its schema; throws InvalidEventError. */
export function parseEventBody(type: string, payload: unknown): EventBody {
  const parsed = incidentEventBody.safeParse({ type, payload });
  if (parsed.success) return parsed.data;
  const known = (EVENT_TYPES as string[]).includes(type);
  throw new InvalidEventError(known ? `${type} event refused: ${issuesLine(parsed.error)}` : `unknown event type ${JSON.stringify(type)}`);
}

/**
 * Reads a stored event's payload. One that no longer matches its schema (written by a Medic whose
 * shapes differed) is kept as stored: readers of the timeline must still show it.
 */
export function readEventBody(type: string, payload: unknown): EventBody {
  const parsed = incidentEventBody.safeParse({ type, payload });
  if (parsed.success) return parsed.data;
  return { type, payload: payload !== null && typeof payload === 'object' ? payload : {} } as EventBody;
}

/**
 * A fix sets resolved_at and starts verification: `resolved`, or an event whose payload says `fix: true`
 * (a remediation that succeeded, a rollback, a flag switched as the fix).
 */
export const isFix = (e: EventBody): boolean => e.type === 'resolved' || ('fix' in e.payload && e.payload.fix === true);

/** A type guard for filtering a timeline: `timeline.filter(ofType('runbook_step_finished'))`. */
export const ofType =
  <T extends EventType>(type: T) =>
  <E extends EventBody>(e: E): e is Extract<E, { type: T }> =>
    e.type === type;
