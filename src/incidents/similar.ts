import type { Db } from '../store/index.js';
import { toEvent, toIncident, type Incident } from './model.js';

/**
 * "Last time this happened": earlier incidents like this one from the last 90 days — those with the same
 * fingerprint first, then those with the same alert name and service — most recent first, up to 5, each
 * with how long it took, the recorded cause, what fixed it and where its postmortem is.
 */

export const SIMILAR_WINDOW_MS = 90 * 86_400_000;
export const SIMILAR_LIMIT = 5;

export interface SimilarIncident {
  id: number;
  title: string;
  startedAt: number | null;
  mttrMs: number | null;
  phases: Incident['phases'];
  cause: string | null;
  /** The remediation action that succeeded, a rollback, or the responder's resolve note. */
  fix: string | null;
  /** The postmortem draft of a finished incident. */
  postmortem: string | null;
}

/** The time an incident is placed at: when it started, else when it was detected. */
const when = (i: Incident) => i.startedAt ?? i.detectedAt ?? i.createdAt;

export async function findSimilar(db: Db, incident: Incident): Promise<SimilarIncident[]> {
  const [byFingerprint, byAlert] = similarLookups(db, incident);
  const sameFingerprint = (await byFingerprint.execute()).map(toIncident);
  const sameAlert = byAlert ? (await byAlert.execute()).map(toIncident) : [];
  const found = [...sameFingerprint, ...sameAlert].slice(0, SIMILAR_LIMIT);
  const fixes = await fixesOf(
    db,
    found.map((i) => i.id),
  );
  return found.map((i) => ({
    id: i.id,
    title: i.title,
    startedAt: i.startedAt ?? i.detectedAt,
    mttrMs: i.phases.mttr_ms,
    phases: i.phases,
    cause: i.cause,
    fix: fixes.get(i.id) ?? null,
    postmortem: i.status === 'closed' ? `/api/incidents/${i.id}/postmortem` : null,
  }));
}

/**
 * The two lookups: the same fingerprint, then the same alert name and service (when both are known).
 * Each reads through its index (migration 014), also inside the ingest transaction that queues an
 * incident's first notification.
 */
export function similarLookups(db: Db, incident: Incident) {
  const at = when(incident);
  const earlier = db
    .selectFrom('incidents')
    .selectAll()
    .where('id', '!=', incident.id)
    .where('detected_at', '>=', at - SIMILAR_WINDOW_MS)
    .where('detected_at', '<', at)
    .orderBy('detected_at', 'desc')
    .orderBy('id', 'desc')
    .limit(SIMILAR_LIMIT);
  const byAlert =
    incident.alertName !== null && incident.service !== null
      ? earlier.where('fingerprint', '!=', incident.fingerprint).where('alert_name', '=', incident.alertName).where('service', '=', incident.service)
      : undefined;
  return [earlier.where('fingerprint', '=', incident.fingerprint), byAlert] as const;
}

/** What fixed each incident: a successful remediation first, then a rollback, then the resolve note. */
async function fixesOf(db: Db, ids: number[]): Promise<Map<number, string>> {
  const fixes = new Map<number, string>();
  if (ids.length === 0) return fixes;
  const rows = await db
    .selectFrom('incident_events')
    .selectAll()
    .where('incident_id', 'in', ids)
    .where('type', 'in', ['remediation_finished', 'rolled_back', 'resolved'])
    .orderBy('id')
    .execute();
  const rank = new Map<number, number>();
  for (const e of rows.map(toEvent)) {
    let found: [number, string] | undefined;
    if (e.type === 'remediation_finished' && e.payload.ok && !e.payload.dry_run) found = [0, `${String(e.payload.action)} (remediation ${e.payload.rule})`];
    else if (e.type === 'rolled_back') found = [1, `rollback of ${e.payload.service}`];
    else if (e.type === 'resolved' && e.payload.note) found = [2, e.payload.note];
    if (found && found[0] < (rank.get(e.incidentId) ?? 3)) {
      rank.set(e.incidentId, found[0]);
      fixes.set(e.incidentId, found[1]);
    }
  }
  return fixes;
}
