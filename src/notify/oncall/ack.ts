import { acknowledge, getIncident, getTimeline, IncidentActionError, ofType, type Incident, type IncidentContext } from '../../incidents/index.js';
import { ackLinkKey, readAckLink, type AckLinkClaims } from './ack-link.js';

/**
 * Acknowledging from the link in a page: look at it (GET: changes nothing), then use it (POST: records
 * the link as used and acknowledges the incident as the person the page was sent to). A link that is
 * altered, expired, already used, or names a page that does not exist does nothing and says why.
 */

export type AckLinkState =
  | { state: 'ok'; claims: AckLinkClaims; incident: Incident; who: string }
  | { state: 'invalid' | 'expired' | 'used' };

export async function inspectAckLink(ctx: IncidentContext, token: string): Promise<AckLinkState> {
  const now = ctx.clock.now();
  const claims = readAckLink(await ackLinkKey(ctx.store.db, now), token, now);
  if (typeof claims === 'string') return { state: claims };
  const used = await ctx.store.db.selectFrom('ack_links_used').select('link').where('link', '=', claims.id).executeTakeFirst();
  if (used) return { state: 'used' };
  const incident = await getIncident(ctx.store.db, claims.incidentId);
  const paged = incident && (await getTimeline(ctx.store.db, incident.id)).filter(ofType('paged')).find((e) => e.id === claims.eventId);
  if (!incident || !paged) return { state: 'invalid' };
  const who = paged.payload.person ?? `ack link (${paged.payload.channel ?? paged.payload.target})`;
  return { state: 'ok', claims, incident, who };
}

export type AckByLinkResult = AckLinkState | { state: 'acknowledged'; incident: Incident; who: string } | { state: 'conflict'; incident: Incident; message: string };

export async function acknowledgeByLink(ctx: IncidentContext, token: string): Promise<AckByLinkResult> {
  const seen = await inspectAckLink(ctx, token);
  if (seen.state !== 'ok') return seen;
  const { claims, who } = seen;
  // The link is spent first: of two requests racing with it, exactly one gets past this insert.
  const inserted = await ctx.store.db
    .insertInto('ack_links_used')
    .values({ link: claims.id, incident_id: claims.incidentId, used_at: ctx.clock.now(), used_by: who })
    .onConflict((oc) => oc.column('link').doNothing())
    .returning('link')
    .executeTakeFirst();
  if (!inserted) return { state: 'used' };
  try {
    const incident = await acknowledge(ctx, claims.incidentId, who, { via: 'ack_link', page: claims.eventId });
    return { state: 'acknowledged', incident, who };
  } catch (err) {
    if (err instanceof IncidentActionError) return { state: 'conflict', incident: seen.incident, message: err.message };
    throw err;
  }
}
