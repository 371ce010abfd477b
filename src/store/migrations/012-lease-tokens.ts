import type { Kysely } from 'kysely';

/**
 * Each claim of a schedule row or a job stamps a token of its own. A worker writes a run's result (a
 * job's outcome) only while the row still carries its owner and that token, so a worker whose lease
 * expired and was claimed by another (or by itself again) cannot record a second result for the slot.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('monitor_schedule').addColumn('lease_token', 'text').execute();
  await db.schema.alterTable('jobs').addColumn('lease_token', 'text').execute();
}
