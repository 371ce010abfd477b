import type { Kysely } from 'kysely';

/**
 * Jobs that must run in order: a job with a `sequence_key` is not claimed while an earlier job with the
 * same key is pending or running (store/jobs.ts). Notifications use it per incident and channel, so a
 * channel never hears "resolved" before "opened" when both are due at once. The index serves that test:
 * the earlier jobs of one key, by id.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('jobs').addColumn('sequence_key', 'text').execute();
  await db.schema.createIndex('jobs_sequence').on('jobs').columns(['sequence_key', 'id']).execute();
}
