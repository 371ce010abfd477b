import type { IncidentContext } from './context.js';
import type { IncidentEvent, NewEvent } from './events.js';
import type { Incident } from './model.js';
import { appendEvents, lockIncident } from './timeline.js';

/** What people do to an incident: acknowledge, record the cause, resolve, add a note. */

export class IncidentActionError extends Error {
  constructor(
    readonly kind: 'not_found' | 'conflict',
    message: string,
  ) {
    super(message);
  }
}

async function act(ctx: IncidentContext, id: number, build: (incident: Incident) => NewEvent[]): Promise<Incident> {
  return ctx.store.transaction(async (trx) => {
    const incident = await lockIncident(trx, ctx, id);
    if (!incident) throw new IncidentActionError('not_found', `no incident ${id}`);
    return (await appendEvents(trx, ctx, incident, build(incident))).incident;
  });
}

/**
 * Appends events to an incident in a transaction of their own, built from the incident as it is now
 * (read under a row lock, so the derived state never starts from a stale copy). Phases use this from
 * their job handlers. Returns undefined when the incident does not exist.
 */
export async function appendToIncident(
  ctx: IncidentContext,
  id: number,
  build: NewEvent[] | ((incident: Incident) => NewEvent[]),
): Promise<{ incident: Incident; events: IncidentEvent[] } | undefined> {
  return ctx.store.transaction(async (trx) => {
    const incident = await lockIncident(trx, ctx, id);
    if (!incident) return undefined;
    return appendEvents(trx, ctx, incident, typeof build === 'function' ? build(incident) : build);
  });
}

/** `details` say how, when it was not the API or CLI (an acknowledge link in a page: which page). */
export function acknowledge(ctx: IncidentContext, id: number, actor: string, details?: Record<string, unknown>): Promise<Incident> {
  return act(ctx, id, (i) => {
    if (i.status === 'closed') throw new IncidentActionError('conflict', `incident ${id} is closed`);
    if (i.acknowledgedAt !== null) throw new IncidentActionError('conflict', `incident ${id} was already acknowledged`);
    return [{ type: 'acknowledged', actor, ...(details ? { payload: details } : {}) }];
  });
}

export function recordCause(ctx: IncidentContext, id: number, cause: string, actor: string): Promise<Incident> {
  return act(ctx, id, () => [{ type: 'cause_identified', actor, payload: { cause, by: 'responder' } }]);
}

export function resolveIncident(ctx: IncidentContext, id: number, note: string | undefined, actor: string): Promise<Incident> {
  return act(ctx, id, (i) => {
    if (i.status === 'closed') throw new IncidentActionError('conflict', `incident ${id} is closed`);
    if (i.resolvedAt !== null) throw new IncidentActionError('conflict', `incident ${id} is already resolved (verification is running)`);
    return [{ type: 'resolved', actor, payload: { by: 'responder', ...(note ? { note } : {}) } }];
  });
}

export function addNote(ctx: IncidentContext, id: number, text: string, actor: string): Promise<Incident> {
  return act(ctx, id, () => [{ type: 'note', actor, payload: { text } }]);
}
