import { inChunks, type Db, type StoreDialect } from '../store/index.js';
import { IncidentActionError } from './actions.js';
import type { IncidentContext } from './context.js';
import { publicUpdateInput, type PublicUpdateInput } from './event-payloads.js';
import type { Incident } from './model.js';
import { appendEvents, lockIncident } from './timeline.js';

/**
 * Public updates: what responders tell the public about an incident, in their own words. Each is a
 * `public_update` event on the incident's timeline (append-only like every other), so it is a fact
 * about the incident with a time and an author, and the status page reads it from there.
 */

/**
 * The services each incident affects: its own, and those of the alerts that joined it (a symptom on a
 * service that depends on the one that broke). Incidents without any are absent.
 */
export async function incidentServices(db: Db, dialect: Pick<StoreDialect, 'maxParameters'>, incidents: readonly Pick<Incident, 'id' | 'service'>[]): Promise<Map<number, string[]>> {
  const out = new Map<number, Set<string>>();
  const add = (id: number, service: string | null) => {
    if (service) out.set(id, (out.get(id) ?? new Set()).add(service));
  };
  for (const i of incidents) add(i.id, i.service);
  const rows = await inChunks(dialect, incidents.map((i) => i.id), (ids) =>
    db.selectFrom('alerts').select(['incident_id', 'service']).distinct().where('incident_id', 'in', ids).where('service', 'is not', null).execute(),
  );
  for (const r of rows) add(Number(r.incident_id), r.service);
  return new Map([...out].map(([id, s]) => [id, [...s].sort()]));
}

/**
 * Adds a public update to an incident that the status page shows (one of `publicServices` is among the
 * services it affects). A closed incident takes only `resolved` updates (a last word after recovery).
 */
export async function addPublicUpdate(ctx: IncidentContext, id: number, update: PublicUpdateInput, actor: string, publicServices: readonly string[]): Promise<Incident> {
  const { status, message } = publicUpdateInput.parse(update);
  return ctx.store.transaction(async (trx) => {
    const incident = await lockIncident(trx, ctx, id);
    if (!incident) throw new IncidentActionError('not_found', `no incident ${id}`);
    if (incident.status === 'closed' && status !== 'resolved') throw new IncidentActionError('conflict', `incident ${id} is closed: only a "resolved" update may follow`);
    const services = (await incidentServices(trx, ctx.store.dialect, [incident])).get(id) ?? [];
    if (!services.some((s) => publicServices.includes(s))) {
      throw new IncidentActionError('conflict', `incident ${id} is not on the status page: none of its services (${services.join(', ') || 'none'}) is listed in status_page.services`);
    }
    return (await appendEvents(trx, ctx, incident, [{ type: 'public_update', actor, payload: { status, message, by: 'responder' } }])).incident;
  });
}
