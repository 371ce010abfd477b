import type { Kysely } from 'kysely';

/**
 * "Last time this happened" (src/incidents/similar.ts) looks up earlier incidents by fingerprint, and by
 * alert name and service, within 90 days — for the incident page and when an incident's first
 * notification is queued, inside the ingest transaction. Without these it read every incident of the
 * window through incidents_detected.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.createIndex('incidents_fingerprint_detected').on('incidents').columns(['fingerprint', 'detected_at']).execute();
  await db.schema.createIndex('incidents_alert_service_detected').on('incidents').columns(['alert_name', 'service', 'detected_at']).execute();
}
