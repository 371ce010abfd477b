import { z } from 'zod';
import { issuesLine } from '../shared/zod-issues.js';
import { EVENT_PAYLOADS } from './event-payloads.js';

/**
 * The incident timeline's events: a union discriminated by `type`, one payload schema per type
 * (EVENT_PAYLOADS in event-payloads.ts, the one list of event types). Events are append-only: the database rejects UPDATE and DELETE on
 * incident_events, and every phase timestamp is derived from them (see derive.ts). Each event is checked
 * against its schema when it is appended (timeline.ts), so what is stored is what its type declares.
 */

type Payloads = typeof EVENT_PAYLOADS;
type BodySchema = { [T in keyof Payloads]: z.ZodObject<{ type: z.ZodLiteral<T>; payload: Payloads[T] }> }[keyof Payloads];

/** The union, built from EVENT_PAYLOADS (event-payloads.ts): each type with its payload schema. */
export const incidentEventBody = z.discriminatedUnion(
  'type',
  Object.entries(EVENT_PAYLOADS).map(([type, payload]) => z.object({ type: z.literal(type), payload })) as unknown as [BodySchema, ...BodySchema[]],
);

/** An event's type and payload, as stored. */
export type EventBody = z.output<typeof incidentEventBody>;
export type EventType = EventBody['type'];
export type EventPayload<T extends EventType = EventType> = Extract<EventBody, { type: T }>['payload'];

export const EVENT_TYPES = Object.keys(EVENT_PAYLOADS) as [EventType, ...EventType[]];

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

/** The event types whose payload can say `fix: true`: those whose schema has the field. */
export const FIX_FLAG_TYPES = EVENT_TYPES.filter((t) => 'fix' in EVENT_PAYLOADS[t].shape);

/**
 * A SQL LIKE pattern that narrows a scan of stored payloads to those that may say `fix: true` (payloads
 * are stored as compact JSON, toJson); a reader still decides with isFix.
 */
export const FIX_FLAG_LIKE = '%"fix":true%';

/** A type guard for filtering a timeline: `timeline.filter(ofType('runbook_step_finished'))`. */
export const ofType =
  <T extends EventType>(type: T) =>
  <E extends EventBody>(e: E): e is Extract<E, { type: T }> =>
    e.type === type;
