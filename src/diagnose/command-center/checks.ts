import { sql } from 'kysely';
import type { Store } from '../../store/index.js';
import type { TimeWindow } from './window.js';

/**
 * What the checks measured over the window and the one before it, aggregated in the database: per
 * service, how many runs and how many failed (a `down` run; `degraded` passed its assertions, only
 * slowly); over everything, the p95 of run durations. Both windows are read in one range scan of
 * `check_results` by `started_at` each, so the cost is bounded by two windows of results whatever the
 * table holds; only a few rows per service come back.
 */

export interface ServiceRuns {
  service: string | null;
  current: { runs: number; failed: number };
  previous: { runs: number; failed: number };
}

export interface CheckAggregates {
  services: ServiceRuns[];
  /** p95 of run durations (ms) in each window; null without runs. */
  p95: { current: number | null; previous: number | null };
  runs: { current: number; previous: number };
  failed: { current: number; previous: number };
}

// Which window a run belongs to. Grouped by position (GROUP BY 2): PostgreSQL would see the bound
// parameter of a repeated expression as a different expression.
const inCurrent = (start: number) => sql<number>`CASE WHEN r.started_at >= ${start} THEN 1 ELSE 0 END`;

export async function checkAggregates(store: Store, w: TimeWindow): Promise<CheckAggregates> {
  const { db, dialect } = store;
  const [p95] = dialect.percentilesCont([{ fraction: 0.95, value: sql.ref('r.duration_ms') }]);
  const [byService, durations] = await Promise.all([
    db
      .selectFrom('check_results as r')
      .innerJoin('monitors as m', 'm.id', 'r.monitor_id')
      .select((eb) => [
        'm.service',
        inCurrent(w.start).as('cur'),
        eb.fn.countAll<number>().as('runs'),
        sql<number>`sum(CASE WHEN r.status = 'down' THEN 1 ELSE 0 END)`.as('failed'),
      ])
      .where('r.started_at', '>=', w.previousStart)
      .where('r.started_at', '<', w.end)
      .groupBy([sql`1`, sql`2`])
      .execute(),
    db
      .selectFrom('check_results as r')
      .select([inCurrent(w.start).as('cur'), p95!.as('p95')])
      .where('r.started_at', '>=', w.previousStart)
      .where('r.started_at', '<', w.end)
      .groupBy(sql`1`)
      .execute(),
  ]);

  const services = new Map<string | null, ServiceRuns>();
  const totals = { runs: { current: 0, previous: 0 }, failed: { current: 0, previous: 0 } };
  for (const row of byService) {
    let s = services.get(row.service);
    if (!s) services.set(row.service, (s = { service: row.service, current: { runs: 0, failed: 0 }, previous: { runs: 0, failed: 0 } }));
    const which = Number(row.cur) === 1 ? 'current' : 'previous';
    const runs = Number(row.runs);
    const failed = Number(row.failed ?? 0);
    s[which] = { runs, failed };
    totals.runs[which] += runs;
    totals.failed[which] += failed;
  }
  const p95Of = (cur: number) => {
    const v = durations.find((d) => Number(d.cur) === cur)?.p95;
    return v === null || v === undefined ? null : Number(v);
  };
  return { services: [...services.values()], p95: { current: p95Of(1), previous: p95Of(0) }, ...totals };
}
