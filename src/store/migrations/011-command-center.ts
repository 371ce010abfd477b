import type { Kysely } from 'kysely';

/**
 * The command center reads the last minutes of check results by time: how many runs, how many failed,
 * their durations, and whose monitor they were. This index holds exactly that, in time order, so those
 * reads never touch the rows (with their timings and assertion details) and stay one range scan.
 * It starts with started_at, so it serves every query the time index served (retention, lookups by
 * time); that one goes, and writing a result costs no more index updates than before.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.createIndex('check_results_window').on('check_results').columns(['started_at', 'monitor_id', 'status', 'duration_ms']).execute();
  await db.schema.dropIndex('check_results_time').execute();
  // The latest deployments, whatever their service, for the command center.
  await db.schema.createIndex('deployments_time').on('deployments').column('deployed_at').execute();
}
