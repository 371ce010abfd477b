import { sql, type Kysely } from 'kysely';

/**
 * The current state of each alert (by fingerprint): which incident it belongs to, whether it fires, and
 * since when. `alerts` stays the append-only log of every delivery; asking it for "the latest row per
 * fingerprint" grows with every re-notification ever received, where this table answers by key.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('alert_states')
    .addColumn('fingerprint', 'text', (c) => c.primaryKey())
    .addColumn('incident_id', 'bigint')
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('starts_at', 'bigint', (c) => c.notNull())
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('alert_states_incident').on('alert_states').columns(['incident_id', 'status']).execute();
  // Every alert delivery writes each of the log's indexes: drop the two that nothing reads any more
  // ((incident_id) is a prefix of (incident_id, fingerprint, id); lookups by fingerprint use the states).
  await db.schema.dropIndex('alerts_incident').execute();
  await db.schema.dropIndex('alerts_fingerprint').execute();
  // Databases that already hold alerts start from their latest delivery per fingerprint.
  await sql`INSERT INTO alert_states (fingerprint, incident_id, status, starts_at, updated_at)
    SELECT fingerprint, incident_id, status, starts_at, received_at FROM alerts
    WHERE id IN (SELECT max(id) FROM alerts GROUP BY fingerprint)`.execute(db);
}
