import { sql, type Kysely } from 'kysely';

/**
 * The command center, computed on every change, over a day of results from 10,000 monitors:
 * - `check_results_failed`: the failed runs by time (a partial index: `down` runs are a few in a
 *   thousand). Failures per window and per service are read from it, a few hundred entries, instead of
 *   testing the status of every run of both windows in check_results_window.
 * - `monitors_state`: monitors by (enabled, status), so counting them by state and listing the unhealthy
 *   ones read the index, not every monitor. A monitor's status changes rarely (last_run_at, written on
 *   every run, is left out so that those updates stay as cheap as before).
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.createIndex('check_results_failed').on('check_results').columns(['started_at', 'monitor_id']).where(sql.ref('status'), '=', sql.lit('down')).execute();
  await db.schema.createIndex('monitors_state').on('monitors').columns(['enabled', 'status']).execute();
}
