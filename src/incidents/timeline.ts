import { insertInChunks, toJson, type Db, type NewRow } from '../store/index.js';
import type { IncidentContext } from './context.js';
import { applyEvent, EMPTY_STATE, withPhases, type IncidentState } from './derive.js';
import { parseEventBody, type IncidentEvent, type NewEvent } from './events.js';
import { toEvent, toIncident, type Incident } from './model.js';

/**
 * Appends events to an incident's timeline and moves the incident row along with them, in the caller's
 * transaction: the events, the derived status, timestamps and phase durations, and the jobs the
 * reactors enqueue are committed together or not at all. An event whose payload is not what its type
 * carries is refused (InvalidEventError) before anything is written.
 */
export async function appendEvents(db: Db, ctx: IncidentContext, incident: Incident, events: NewEvent[]): Promise<{ incident: Incident; events: IncidentEvent[] }> {
  if (events.length === 0) return { incident, events: [] };
  const rows = eventRows(ctx, incident.id, events);
  // The state moves on from the row as it is now, locked for this transaction: a copy the caller read
  // earlier may be stale (another worker closed or resolved it meanwhile), and must not be written back.
  const current = (await lockIncident(db, ctx, incident.id)) ?? incident;
  return appendWithFollowUps(db, ctx, current, rows, 0);
}

/** Reactors' follow-ups of follow-ups are fine; a chain this deep is a reactor answering itself. */
const MAX_FOLLOW_UP_DEPTH = 4;

/**
 * The rows to insert, each payload checked as it will be stored: redacted (secrets never reach the
 * timeline, whatever a step printed or an alert carried) and through JSON, so the schema sees what a
 * reader will get back.
 */
function eventRows(ctx: IncidentContext, incidentId: number, events: NewEvent[]): NewRow<'incident_events'>[] {
  const now = ctx.clock.now();
  return events.map((e) => {
    const stored: unknown = JSON.parse(toJson(ctx.redactor.redactDeep(e.payload ?? {})));
    const body = parseEventBody(e.type, stored);
    return { incident_id: incidentId, at: e.at ?? now, actor: ctx.redactor.redact(e.actor), type: body.type, payload: toJson(body.payload), created_at: now };
  });
}

async function appendWithFollowUps(db: Db, ctx: IncidentContext, incident: Incident, values: NewRow<'incident_events'>[], depth: number): Promise<{ incident: Incident; events: IncidentEvent[] }> {
  if (values.length === 0) return { incident, events: [] };
  if (depth > MAX_FOLLOW_UP_DEPTH) throw new Error(`incident reactors keep answering with follow-up events (${values.map((e) => e.type).join(', ')})`);
  const now = ctx.clock.now();
  const rows = await insertInChunks(ctx.store.dialect, values, (chunk) => db.insertInto('incident_events').values(chunk).returningAll().execute());
  const inserted = rows.map(toEvent).sort((a, b) => a.id - b.id);

  let state: IncidentState = stateOf(incident);
  for (const e of inserted) state = applyEvent(state, e);
  const derived = withPhases(state);
  const updated = await db
    .updateTable('incidents')
    .set({
      status: derived.status,
      started_at: derived.started_at,
      detected_at: derived.detected_at,
      acknowledged_at: derived.acknowledged_at,
      diagnosed_at: derived.diagnosed_at,
      resolved_at: derived.resolved_at,
      verified_at: derived.verified_at,
      closed_at: derived.closed_at,
      cause: derived.cause,
      reopen_count: derived.reopen_count,
      detect_ms: derived.detect_ms,
      diagnose_ms: derived.diagnose_ms,
      resolve_ms: derived.resolve_ms,
      verify_ms: derived.verify_ms,
      mttr_ms: derived.mttr_ms,
      updated_at: now,
    })
    .where('id', '=', incident.id)
    .returningAll()
    .executeTakeFirstOrThrow();
  const next = toIncident(updated);
  const followUps: NewEvent[] = [];
  for (const reactor of ctx.reactors) {
    const more = await reactor.onEvents(db, next, inserted);
    if (more) followUps.push(...more);
  }
  if (followUps.length === 0) return { incident: next, events: inserted };
  const after = await appendWithFollowUps(db, ctx, next, eventRows(ctx, next.id, followUps), depth + 1);
  return { incident: after.incident, events: [...inserted, ...after.events] };
}

export function stateOf(i: Incident): IncidentState {
  return {
    ...EMPTY_STATE,
    status: i.status,
    started_at: i.startedAt,
    detected_at: i.detectedAt,
    acknowledged_at: i.acknowledgedAt,
    diagnosed_at: i.diagnosedAt,
    resolved_at: i.resolvedAt,
    verified_at: i.verifiedAt,
    closed_at: i.closedAt,
    cause: i.cause,
    reopen_count: i.reopenCount,
  };
}

export async function getIncident(db: Db, id: number): Promise<Incident | undefined> {
  const row = await db.selectFrom('incidents').selectAll().where('id', '=', id).executeTakeFirst();
  return row ? toIncident(row) : undefined;
}

/** Reads an incident for update: on PostgreSQL the row stays locked until the transaction ends. */
export async function lockIncident(db: Db, ctx: IncidentContext, id: number): Promise<Incident | undefined> {
  const row = await ctx.store.dialect.lockRows(db.selectFrom('incidents').selectAll().where('id', '=', id)).executeTakeFirst();
  return row ? toIncident(row) : undefined;
}

export async function getTimeline(db: Db, incidentId: number, options: { afterId?: number; limit?: number } = {}): Promise<IncidentEvent[]> {
  let q = db.selectFrom('incident_events').selectAll().where('incident_id', '=', incidentId).orderBy('id');
  if (options.afterId !== undefined) q = q.where('id', '>', options.afterId);
  if (options.limit !== undefined) q = q.limit(options.limit);
  return (await q.execute()).map(toEvent);
}
