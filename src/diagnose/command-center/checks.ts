import { sql } from 'kysely';
import type { Store } from '../../store/index.js';
import type { TimeWindow } from './window.js';

/**
 * What the checks measured, aggregated in the database: over everything, in the window and in the one
 * before it, how many runs, how many failed (a `down` run; `degraded` passed its assertions, only
 * slowly) and the p95 of run durations; and per service, the same counts over the window and the one
 * before it (for the services shown only, through their monitors' index ranges).
 *
 * Every query reads check results through the covering index `check_results_window` (started_at,
 * monitor_id, status, duration_ms): one range scan per window, the rows themselves never read. Grouping
 * every run of the window by service is what costs (a sort of all of them), so it is avoided: the runs
 * that failed are few and are grouped by service; which services ran at all comes from each monitor's
 * `last_run_at`; and the runs are counted only for the services that will be shown — those with
 * failures and the busiest of the rest — through the (monitor_id, started_at) index, monitor by monitor.
 */

export interface ServiceRuns {
  service: string | null;
  runs: number;
  failed: number;
  /** The same service in the window before; runs 0 when its monitors did not run then. */
  previous: { runs: number; failed: number };
}

export interface WindowRuns {
  runs: number;
  failed: number;
  /** p95 of run durations (ms); null without runs. */
  p95: number | null;
}

export interface CheckAggregates {
  /** Over the window: every service with failed runs, then the busiest others, up to the limit. */
  services: ServiceRuns[];
  /** Services whose monitors ran in the window. */
  servicesRan: (string | null)[];
  current: WindowRuns;
  previous: WindowRuns;
}

const failed = sql<number | null>`sum(CASE WHEN r.status = 'down' THEN 1 ELSE 0 END)`;

export async function checkAggregates(store: Store, w: TimeWindow, limit: number): Promise<CheckAggregates> {
  const { db } = store;
  const [p95] = store.report.percentilesCont([{ fraction: 0.95, value: sql.ref('r.duration_ms') }]);
  const overall = (from: number, to: number) =>
    db
      .selectFrom('check_results as r')
      .select((eb) => [eb.fn.countAll<number>().as('runs'), failed.as('failed'), p95!.as('p95')])
      .where('r.started_at', '>=', from)
      .where('r.started_at', '<', to)
      .executeTakeFirstOrThrow();
  const failingIn = (from: number, to: number) =>
    db
      .selectFrom('check_results as r')
      // A cross join with the condition in WHERE: SQLite then walks the window's index range first and
      // looks each failed run's monitor up by its key.
      .crossJoin('monitors as m')
      .whereRef('m.id', '=', 'r.monitor_id')
      .select((eb) => ['m.service', eb.fn.countAll<number>().as('n')])
      .where('r.started_at', '>=', from)
      .where('r.started_at', '<', to)
      .where('r.status', '=', 'down')
      .groupBy('m.service')
      .execute();
  const [failing, ran, current, previous] = await Promise.all([
    failingIn(w.start, w.end),
    db
      .selectFrom('monitors')
      .select((eb) => ['service', eb.fn.countAll<number>().as('n')])
      .where('last_run_at', '>=', w.start)
      .groupBy('service')
      .execute(),
    overall(w.start, w.end),
    overall(w.previousStart, w.start),
  ]);

  // Shown: every service with failures (a rate above zero), then those whose monitors ran the most.
  const failedBy = new Map(failing.map((f) => [f.service, Number(f.n)]));
  const others = ran.filter((r) => !failedBy.has(r.service)).sort((a, b) => Number(b.n) - Number(a.n) || byName(a.service, b.service));
  const shown = [...failedBy.keys(), ...others.slice(0, Math.max(0, limit - failedBy.size)).map((r) => r.service)];
  // The window before, for the shown services only, through their monitors' index ranges: a second
  // scan of the whole window for failures would cost as much as the one above.
  const [runs, before] = await Promise.all([runsOf(store, shown, w.start, w.end, false), runsOf(store, shown, w.previousStart, w.start, true)]);

  const windowRuns = (r: { runs: number | string; failed: number | string | null; p95: number | null }): WindowRuns => ({
    runs: Number(r.runs),
    failed: Number(r.failed ?? 0),
    p95: r.p95 === null ? null : Number(r.p95),
  });
  return {
    // A monitor's last_run_at may run ahead of its result being written: a service without runs yet is left out.
    services: shown.filter((service) => runs.has(service)).map((service) => ({
      service,
      runs: runs.get(service)!.runs,
      failed: failedBy.get(service) ?? 0,
      previous: before.get(service) ?? { runs: 0, failed: 0 },
    })),
    servicesRan: [...new Set([...ran.map((r) => r.service), ...failedBy.keys()])],
    current: windowRuns(current),
    previous: windowRuns(previous),
  };
}

const byName = (a: string | null, b: string | null) => ((a ?? '') < (b ?? '') ? -1 : (a ?? '') > (b ?? '') ? 1 : 0);

/**
 * Runs in [from, to) per service, for these services only: their monitors' index ranges; and how many
 * failed when asked (the current window's failures come from the failed runs' grouping instead, and the
 * count alone stays an index-only scan).
 */
async function runsOf(store: Store, services: (string | null)[], from: number, to: number, withFailed: boolean): Promise<Map<string | null, { runs: number; failed: number }>> {
  const named = services.filter((s): s is string => s !== null);
  const out = new Map<string | null, { runs: number; failed: number }>();
  if (services.length === 0) return out;
  const rows = await store.db
    // Monitors first (SQLite keeps a cross join's order): only theirs are looked up in the index, not
    // every run of the window.
    .selectFrom('monitors as m')
    .crossJoin('check_results as r')
    .whereRef('r.monitor_id', '=', 'm.id')
    .where('r.started_at', '>=', from)
    .where('r.started_at', '<', to)
    .select((eb) => ['m.service', eb.fn.countAll<number>().as('n'), (withFailed ? failed : sql<null>`NULL`).as('failed')])
    .where((eb) => eb.or([...(named.length ? [eb('m.service', 'in', named)] : []), ...(services.includes(null) ? [eb('m.service', 'is', null)] : [])]))
    .groupBy('m.service')
    .execute();
  for (const r of rows) out.set(r.service, { runs: Number(r.n), failed: Number(r.failed ?? 0) });
  return out;
}
