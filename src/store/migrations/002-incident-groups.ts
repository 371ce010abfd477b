import type { Kysely } from 'kysely';

/**
 * Alert grouping: an incident remembers the group its alerts share (the `incidents.group_by` label
 * values), so joining the open incident of a group is one indexed lookup; and alerts are looked up by
 * incident and fingerprint to tell whether any of an incident's alerts still fires.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('incidents').addColumn('group_key', 'text').execute();
  await db.schema.createIndex('incidents_group').on('incidents').columns(['group_key', 'status']).execute();
  await db.schema.createIndex('alerts_incident_fingerprint').on('alerts').columns(['incident_id', 'fingerprint', 'id']).execute();
}
