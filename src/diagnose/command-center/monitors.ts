import { sql } from 'kysely';
import type { Db } from '../../store/index.js';
import { MONITOR_STATUSES, type CommandCenter, type UnhealthyMonitor } from './schema.js';

/**
 * Monitors at a glance: how many are in each state (the scheduler keeps each monitor's state on its
 * row, so this is a count of the index monitors_state, not a look at results), and those that are down
 * or degraded with their latest error — down first, the longest-failing first among them; how many
 * those are comes from the same counts.
 */

export async function monitorOverview(db: Db, limit: number): Promise<CommandCenter['monitors']> {
  const [byStatus, unhealthy] = await Promise.all([
    db.selectFrom('monitors').select((eb) => ['status', eb.fn.countAll<number>().as('n')]).where('enabled', '=', 1).groupBy('status').execute(),
    db
      .selectFrom('monitors as m')
      .select((eb) => [
        'm.id',
        'm.name',
        'm.service',
        'm.type',
        'm.status',
        'm.last_run_at',
        'm.incident_id',
        // The latest result of each listed monitor only: one index probe each (monitor_id, started_at).
        eb.selectFrom('check_results as c').select('c.error').whereRef('c.monitor_id', '=', 'm.id').orderBy('c.started_at', 'desc').orderBy('c.id', 'desc').limit(1).as('error'),
      ])
      .where('m.enabled', '=', 1)
      .where('m.status', 'in', ['down', 'degraded'])
      .orderBy('m.status', 'desc') // "down" sorts after "degraded": descending puts it first
      // The longest failing first: the earliest streak of any of its locations. Engines order NULLs
      // differently; a monitor with no streak goes last on both.
      .orderBy(
        (eb) => eb.fn.coalesce(eb.selectFrom('monitor_schedule as s').select((e) => e.fn.min('s.failing_since').as('f')).whereRef('s.monitor_id', '=', 'm.id'), sql.lit(Number.MAX_SAFE_INTEGER)),
      )
      .orderBy('m.name')
      .limit(limit)
      .execute(),
  ]);

  const counts = Object.fromEntries(MONITOR_STATUSES.map((s) => [s, 0])) as Record<(typeof MONITOR_STATUSES)[number], number>;
  let total = 0;
  let unhealthyCount = 0;
  for (const row of byStatus) {
    const n = Number(row.n);
    total += n;
    if (row.status === 'down' || row.status === 'degraded') unhealthyCount += n;
    if (row.status in counts) counts[row.status as keyof typeof counts] += n;
  }
  const items: UnhealthyMonitor[] = unhealthy.map((m) => ({
    id: Number(m.id),
    name: m.name,
    service: m.service,
    type: m.type,
    status: m.status as 'down' | 'degraded',
    lastRunAt: m.last_run_at,
    incidentId: m.incident_id === null ? null : Number(m.incident_id),
    error: m.error ?? null,
  }));
  return { total, counts, unhealthy: { total: unhealthyCount, items } };
}
