import { sql } from 'kysely';
import type { Store } from '../../store/index.js';
import type { TimeWindow } from './window.js';

/**
 * What the checks measured, aggregated in the database: per service over the window, how many runs and
 * how many failed (a `down` run; `degraded` passed its assertions, only slowly); over everything, in the
 * window and in the one before it, the same counts and the p95 of run durations. Each query is one
 * range scan of the covering index `check_results_window` (started_at, monitor_id, status,
 * duration_ms), so the cost is bounded by two windows of results whatever the table holds, the rows
 * themselves are never read, and only one row per service comes back.
 */

export interface ServiceRuns {
  service: string | null;
  runs: number;
  failed: number;
}

export interface WindowRuns {
  runs: number;
  failed: number;
  /** p95 of run durations (ms); null without runs. */
  p95: number | null;
}

export interface CheckAggregates {
  /** The current window, per service of the monitors that ran. */
  services: ServiceRuns[];
  current: WindowRuns;
  previous: WindowRuns;
}

const failed = sql<number | null>`sum(CASE WHEN r.status = 'down' THEN 1 ELSE 0 END)`;

export async function checkAggregates(store: Store, w: TimeWindow): Promise<CheckAggregates> {
  const { db, dialect } = store;
  const [p95] = dialect.percentilesCont([{ fraction: 0.95, value: sql.ref('r.duration_ms') }]);
  const overall = (from: number, to: number) =>
    db
      .selectFrom('check_results as r')
      .select((eb) => [eb.fn.countAll<number>().as('runs'), failed.as('failed'), p95!.as('p95')])
      .where('r.started_at', '>=', from)
      .where('r.started_at', '<', to)
      .executeTakeFirstOrThrow();
  const [byService, current, previous] = await Promise.all([
    db
      .selectFrom('check_results as r')
      // A cross join with the condition in WHERE: SQLite then walks the window's index range first and
      // looks each monitor up by its key, instead of probing the results of every monitor there is.
      .crossJoin('monitors as m')
      .whereRef('m.id', '=', 'r.monitor_id')
      .select((eb) => ['m.service', eb.fn.countAll<number>().as('runs'), failed.as('failed')])
      .where('r.started_at', '>=', w.start)
      .where('r.started_at', '<', w.end)
      .groupBy('m.service')
      .execute(),
    overall(w.start, w.end),
    overall(w.previousStart, w.start),
  ]);
  const runs = (r: { runs: number | string; failed: number | string | null; p95: number | null }): WindowRuns => ({
    runs: Number(r.runs),
    failed: Number(r.failed ?? 0),
    p95: r.p95 === null ? null : Number(r.p95),
  });
  return {
    services: byService.map((s) => ({ service: s.service, runs: Number(s.runs), failed: Number(s.failed ?? 0) })),
    current: runs(current),
    previous: runs(previous),
  };
}
