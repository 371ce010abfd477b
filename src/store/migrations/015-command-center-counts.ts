import { sql, type Kysely } from 'kysely';
import type { StoreDialect } from '../dialect.js';

/**
 * The command center, computed on every change, over a day of results from 10,000 monitors:
 * - `check_results_failed`: the failed runs by time (a partial index: `down` runs are a few in a
 *   thousand). Failures per window and per service are read from it, a few hundred entries, instead of
 *   testing the status of every run of both windows in check_results_window. It holds `status` too, so
 *   that SQLite reads it as a covering index (it does not count the WHERE's column as held otherwise).
 * - `monitors_state`: monitors by (enabled, status), so counting them by state and listing the unhealthy
 *   ones read the index, not every monitor. A monitor's status changes rarely.
 * - `monitors_service`: monitors by service with their last run, so the services that ran in the window
 *   are counted from the index in service order (no sort), and a service's monitors are found without
 *   reading every monitor. last_run_at changes on every run: one more index entry to update then.
 */
const INDEXES = ['check_results_failed', 'monitors_state', 'monitors_service'];

export async function up(db: Kysely<unknown>, dialect: StoreDialect): Promise<void> {
  await db.schema
    .createIndex('check_results_failed')
    .on('check_results')
    .columns(['started_at', 'monitor_id', 'status'])
    .where(sql.ref('status'), '=', sql.lit('down'))
    .execute();
  await db.schema.createIndex('monitors_state').on('monitors').columns(['enabled', 'status']).execute();
  await db.schema.createIndex('monitors_service').on('monitors').columns(['service', 'last_run_at']).execute();
  // A SQLite database someone analyzed has statistics for every index but these: guessing at the new
  // ones, SQLite would scan both windows in check_results_window (14 million rows estimated against
  // a guess for the partial index) rather than read the failed runs. Each is analyzed alone (the
  // partial index holds only the failed runs); without statistics at all, SQLite picks them anyway.
  if (dialect.engine === 'sqlite') {
    const analyzed = await sql`SELECT 1 FROM sqlite_master WHERE name = 'sqlite_stat1'`.execute(db);
    if (analyzed.rows.length > 0) for (const index of INDEXES) await sql`ANALYZE ${sql.id(index)}`.execute(db);
  }
}
