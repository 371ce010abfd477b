import type { IncomingAlert } from '../alert.js';
import { firingFingerprints } from '../alert-log.js';
import type { NewEvent } from '../events.js';
import type { IngestBatch } from './batch.js';
import { resultOf, type IngestResult } from './rung.js';

/**
 * A resolved or acknowledged alert acts on the incident its fingerprint belongs to. A resolved alert
 * resolves its incident once none of the incident's alerts still fires.
 */
export async function settle(batch: IngestBatch, alert: IncomingAlert): Promise<IngestResult> {
  await batch.flush();
  batch.forgetGroups();
  const seen = batch.lastSeenOf(alert.fingerprint);
  let incident = batch.activeFor(alert.fingerprint);
  if (!incident && seen?.incidentId != null) incident = await batch.activeById(seen.incidentId);
  batch.record(alert, incident?.id ?? null, alert.status);
  if (!incident) return resultOf(alert, 'recorded', null);
  if (alert.status === 'acknowledged') {
    batch.addEvents(incident, [{ type: 'acknowledged', actor: batch.actor, payload: { source: alert.source, alert: alert.name } }]);
    return resultOf(alert, 'acknowledged', incident.id);
  }
  await batch.flush();
  const stillFiring = await firingFingerprints(batch.db, incident.id);
  // Already resolved (a remediation's fix, a person): the alert clearing says so, it is not a second fix.
  const resolves = stillFiring.length === 0 && incident.resolvedAt === null && incident.status !== 'closed';
  const event: NewEvent = resolves
    ? { type: 'resolved', actor: batch.actor, payload: { source: alert.source, alert: alert.name, fingerprint: alert.fingerprint, note: 'the alert source says resolved' } }
    : { type: 'alert_resolved', actor: batch.actor, payload: { alert: alert.name, fingerprint: alert.fingerprint, still_firing: stillFiring.length } };
  batch.addEvents(incident, [event]);
  return resultOf(alert, resolves ? 'resolved' : 'recorded', incident.id);
}
