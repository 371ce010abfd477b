import type { Kysely } from 'kysely';

/**
 * What the remediation orchestration needs on each attempt row beyond migration 001's: the job that
 * drives it (an approval wakes that job), the alert that triggered it (actions run on firing alerts
 * only, so the alert is checked again before each run), when a pending approval expires, and how long
 * the action took with its structured details. One column per statement: SQLite adds one at a time.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  for (const [column, type] of [
    ['job_id', 'bigint'],
    ['alert_name', 'text'],
    ['fingerprint', 'text'],
    ['expires_at', 'bigint'],
    ['duration_ms', 'double precision'],
    ['details', 'text'],
  ] as const) {
    await db.schema.alterTable('remediation_attempts').addColumn(column, type).execute();
  }
  // Deployments and flag changes are looked up by time when an incident opens (correlation).
  await db.schema.createIndex('flag_changes_at').on('flag_changes').column('at').execute();
  await db.schema.createIndex('check_results_monitor_latest').on('check_results').columns(['monitor_id', 'id']).execute();
}
