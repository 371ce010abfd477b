import type { Incident } from '../../incidents/index.js';
import { fromJson, type Db } from '../../store/index.js';

/** The alerts behind a remediation: their labels, and whether they still fire. */

/** The latest recorded state of an alert (by fingerprint) on an incident. */
async function latestAlert(db: Db, incidentId: number, fingerprint: string) {
  return db
    .selectFrom('alerts')
    .selectAll()
    .where('incident_id', '=', incidentId)
    .where('fingerprint', '=', fingerprint)
    .orderBy('id', 'desc')
    .executeTakeFirst();
}

/**
 * The labels rules match on: the alert's own labels plus `alertname` and `service`. An alert joined by
 * grouping keeps its own labels, not the ones of the alert that opened the incident.
 */
export async function alertLabels(db: Db, incident: Incident, fingerprint: string, name: string): Promise<{ labels: Record<string, string>; service: string | null }> {
  const row = await latestAlert(db, incident.id, fingerprint);
  const labels = row ? fromJson<Record<string, string>>(row.labels, {}) : { ...incident.labels };
  const service = row ? (row.service ?? incident.service) : incident.service;
  return { labels: { ...labels, alertname: name, ...(service ? { service } : {}) }, service };
}

/** Actions run on firing alerts only: true while the alert's latest state on the incident is firing. */
export async function alertStillFiring(db: Db, incidentId: number, fingerprint: string | null): Promise<boolean> {
  if (fingerprint === null) return true;
  const row = await latestAlert(db, incidentId, fingerprint);
  return row?.status === 'firing';
}
