import type { Kysely } from 'kysely';
import type { StoreDialect } from '../dialect.js';

/**
 * The schedule of monitor runs, one row per monitor and location (`*` for a monitor any worker may run).
 * A worker claims due rows with a lease, runs them, and writes the run's state back with its result;
 * the failure streak lives here, per location, so `confirm_locations` can count how many see an outage.
 * The columns 001 had on `monitors` for a single schedule move here and are dropped.
 */
export async function up(db: Kysely<unknown>, dialect: StoreDialect): Promise<void> {
  await dialect
    .addIdColumn(db.schema.createTable('monitor_schedule'))
    .addColumn('monitor_id', 'bigint', (c) => c.notNull())
    .addColumn('location', 'text', (c) => c.notNull())
    .addColumn('next_run_at', 'bigint', (c) => c.notNull())
    .addColumn('lease_owner', 'text')
    .addColumn('lease_until', 'bigint')
    .addColumn('status', 'text', (c) => c.notNull().defaultTo('pending'))
    .addColumn('consecutive_failures', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('consecutive_successes', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('failing_since', 'bigint')
    .addColumn('last_run_at', 'bigint')
    .addColumn('last_error', 'text')
    .execute();
  await db.schema.createIndex('monitor_schedule_key').unique().on('monitor_schedule').columns(['monitor_id', 'location']).execute();
  await db.schema.createIndex('monitor_schedule_due').on('monitor_schedule').columns(['next_run_at']).execute();

  await db.schema.dropIndex('monitors_due').execute();
  for (const column of ['next_run_at', 'lease_owner', 'lease_until', 'consecutive_failures', 'consecutive_successes', 'failing_since']) {
    await db.schema.alterTable('monitors').dropColumn(column).execute();
  }

  // Hourly counts per monitor: uptime over 7 or 30 days reads a few hundred rows, not every result.
  await db.schema
    .createTable('check_rollups')
    .addColumn('monitor_id', 'bigint', (c) => c.notNull())
    .addColumn('hour', 'bigint', (c) => c.notNull())
    .addColumn('runs', 'integer', (c) => c.notNull())
    .addColumn('up', 'integer', (c) => c.notNull())
    .addColumn('degraded', 'integer', (c) => c.notNull())
    .addColumn('duration_ms_sum', 'double precision', (c) => c.notNull())
    .addPrimaryKeyConstraint('check_rollups_pk', ['monitor_id', 'hour'])
    .execute();
}
