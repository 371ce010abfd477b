import type { MedicConfig } from '../config/index.js';
import type { Db } from '../store/index.js';

/**
 * The monitors of a service and how each has done since the fix: its latest check result started at
 * or after `since` (results from before the fix prove nothing about it). Monitors are the ones the
 * scheduler keeps in the `monitors` table for the service, plus any enabled `monitors:` entry of the
 * service it has not stored yet (which then has no result, so it counts as pending).
 */

export type MonitorState = 'passing' | 'failing' | 'pending';

export interface MonitorHealth {
  name: string;
  state: MonitorState;
  /** up | degraded | down, of the latest result since the fix. */
  status?: string;
  error?: string | null;
  at?: number;
  /** Runs since the fix, and how many of them passed (up or degraded). */
  runs: number;
  passingRuns: number;
}

/** A degraded run passed its assertions (it was only slow): recovered, if not yet fast. */
const PASSING = new Set(['up', 'degraded']);

export function configuredMonitors(config: Pick<MedicConfig, 'monitors'>, service: string): string[] {
  return config.monitors.filter((m) => m.service === service && m.enabled).map((m) => m.name);
}

export async function monitorHealth(db: Db, config: Pick<MedicConfig, 'monitors'>, service: string, since: number): Promise<MonitorHealth[]> {
  const stored = await db.selectFrom('monitors').select(['id', 'name']).where('service', '=', service).where('enabled', '=', 1).orderBy('name').execute();
  const out: MonitorHealth[] = [];
  for (const m of stored) {
    const counts = await db
      .selectFrom('check_results')
      .select((eb) => [eb.fn.countAll<number | string>().as('runs'), eb.fn.sum<number | string | null>(eb.case().when('status', 'in', [...PASSING]).then(1).else(0).end()).as('passing')])
      .where('monitor_id', '=', m.id)
      .where('started_at', '>=', since)
      .executeTakeFirstOrThrow();
    const runs = { runs: Number(counts.runs), passingRuns: Number(counts.passing ?? 0) };
    const latest = await db
      .selectFrom('check_results')
      .select(['status', 'error', 'started_at'])
      .where('monitor_id', '=', m.id)
      .where('started_at', '>=', since)
      .orderBy('started_at', 'desc')
      .orderBy('id', 'desc')
      .executeTakeFirst();
    out.push(
      latest
        ? { name: m.name, state: PASSING.has(latest.status) ? 'passing' : 'failing', status: latest.status, error: latest.error, at: latest.started_at, ...runs }
        : { name: m.name, state: 'pending', ...runs },
    );
  }
  const known = new Set(stored.map((m) => m.name));
  for (const name of configuredMonitors(config, service)) if (!known.has(name)) out.push({ name, state: 'pending', runs: 0, passingRuns: 0 });
  return out;
}

/** Whether the service has any monitor at all (stored or configured). */
export async function hasMonitors(db: Db, config: Pick<MedicConfig, 'monitors'>, service: string): Promise<boolean> {
  if (configuredMonitors(config, service).length > 0) return true;
  const row = await db.selectFrom('monitors').select('id').where('service', '=', service).where('enabled', '=', 1).executeTakeFirst();
  return row !== undefined;
}
