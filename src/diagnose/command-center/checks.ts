import { sql, type ExpressionBuilder } from 'kysely';
import type { CountAndPercentile, Database, Store } from '../../store/index.js';
import type { TimeWindow } from './window.js';

/**
 * What the checks measured, aggregated in the database: over everything, in the window and in the one
 * before it, how many runs, how many failed (a `down` run; `degraded` passed its assertions, only
 * slowly) and the p95 of run durations; and per service, the same counts over the window and the one
 * before it (for the services shown only, through their monitors' index ranges).
 *
 * Each window's runs are counted, and their p95 taken, through the covering index `check_results_window`
 * (started_at, monitor_id, status, duration_ms): one range scan, the rows themselves never read, and
 * nothing else asked of each entry (the p95 is the engine's own aggregate; on PostgreSQL, the same answer
 * from the values above a hint, see store/postgres/top-percentile.ts, rather than a sort of every run). Failed runs are few, and
 * have their own partial index (`check_results_failed`): they are counted, and grouped by service for
 * both windows, from it. Grouping every run of the window by service is what would cost (a sort of all
 * of them), so it is avoided: which services ran at all comes from each monitor's `last_run_at`; and
 * the runs are counted only for the services that will be shown — those with failures and the busiest
 * of the rest — through the (monitor_id, started_at) index, monitor by monitor, both windows at once.
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

/** The failed runs of [from, to): the predicate of the partial index check_results_failed, literally. */
const failedIn = (from: number, to: number) => (eb: ExpressionBuilder<{ r: Database['check_results'] }, 'r'>) =>
  eb.and([eb('r.status', '=', sql.lit('down')), eb('r.started_at', '>=', from), eb('r.started_at', '<', to)]);

/** Counts rows in the window (the current one) and in the one before, split on `start`. */
const inWindow = (start: number) => sql<number | string | null>`sum(CASE WHEN r.started_at >= ${start} THEN 1 ELSE 0 END)`;
const beforeWindow = (start: number) => sql<number | string | null>`sum(CASE WHEN r.started_at < ${start} THEN 1 ELSE 0 END)`;

export async function checkAggregates(store: Store, w: TimeWindow, limit: number): Promise<CheckAggregates> {
  const { db } = store;
  const range = (from: number, to: number) => db.selectFrom('check_results as r').where('r.started_at', '>=', from).where('r.started_at', '<', to);
  // The engine's count and p95 of the range (on PostgreSQL, without a sort of every run: see top-percentile.ts).
  const overall = (from: number, to: number, which: string) =>
    store.report.countAndPercentile(`command-center ${which} ${w.ms}`, 0.95, sql.ref('r.duration_ms'), (columns) => range(from, to).select(columns).executeTakeFirstOrThrow());
  const failedTotals = db
    .selectFrom('check_results as r')
    .select([inWindow(w.start).as('now'), beforeWindow(w.start).as('before')])
    .where(failedIn(w.previousStart, w.end))
    .executeTakeFirstOrThrow();
  const failedByService = db
    .selectFrom('check_results as r')
    // A cross join with the condition in WHERE: SQLite then walks the failed runs' index range first and
    // looks each one's monitor up by its key.
    .crossJoin('monitors as m')
    .whereRef('m.id', '=', 'r.monitor_id')
    .select(['m.service', inWindow(w.start).as('now'), beforeWindow(w.start).as('before')])
    .where(failedIn(w.previousStart, w.end))
    .groupBy('m.service')
    .execute();
  const ran = db
    .selectFrom('monitors')
    .select((eb) => ['service', eb.fn.countAll<number>().as('n')])
    .where('last_run_at', '>=', w.start)
    .groupBy('service')
    .execute();

  // The services shown and their runs, as soon as the failures and the runs by service are in (on
  // PostgreSQL, while the windows' counts and p95 are still being read on other connections).
  const shownRuns = Promise.all([failedByService, ran]).then(async ([failing, ran]) => {
    // Shown: every service with failures now (a rate above zero), then those whose monitors ran the most.
    const failedNow = new Map<string | null, number>();
    const failedBefore = new Map<string | null, number>();
    for (const f of failing) {
      if (Number(f.now ?? 0) > 0) failedNow.set(f.service, Number(f.now));
      failedBefore.set(f.service, Number(f.before ?? 0));
    }
    const others = ran.filter((r) => !failedNow.has(r.service)).sort((a, b) => Number(b.n) - Number(a.n) || byName(a.service, b.service));
    const shown = [...failedNow.keys(), ...others.slice(0, Math.max(0, limit - failedNow.size)).map((r) => r.service)];
    const runs = await runsOf(store, shown, w);
    return {
      // A monitor's last_run_at may run ahead of its result being written: a service without runs yet is left out.
      services: shown.flatMap((service) => {
        const r = runs.get(service);
        if (!r || r.now === 0) return [];
        return [{ service, runs: r.now, failed: failedNow.get(service) ?? 0, previous: { runs: r.before, failed: r.before > 0 ? (failedBefore.get(service) ?? 0) : 0 } }];
      }),
      servicesRan: [...new Set([...ran.map((r) => r.service), ...failedNow.keys()])],
    };
  });
  const [shownPart, current, previous, failed] = await Promise.all([shownRuns, overall(w.start, w.end, 'current'), overall(w.previousStart, w.start, 'previous'), failedTotals]);

  const windowRuns = (r: CountAndPercentile, failedRuns: number | string | null): WindowRuns => ({
    runs: r.count,
    failed: Number(failedRuns ?? 0),
    p95: r.value,
  });
  return { ...shownPart, current: windowRuns(current, failed.now), previous: windowRuns(previous, failed.before) };
}

const byName = (a: string | null, b: string | null) => ((a ?? '') < (b ?? '') ? -1 : (a ?? '') > (b ?? '') ? 1 : 0);

/**
 * Runs per service in the window and in the one before, for these services only: their monitors' index
 * ranges over both windows, split on the window's start (their failures come from the failed runs).
 */
async function runsOf(store: Store, services: (string | null)[], w: TimeWindow): Promise<Map<string | null, { now: number; before: number }>> {
  const named = services.filter((s): s is string => s !== null);
  const out = new Map<string | null, { now: number; before: number }>();
  if (services.length === 0) return out;
  const rows = await store.db
    // Monitors first (SQLite keeps a cross join's order): only theirs are looked up in the index, not
    // every run of the window.
    .selectFrom('monitors as m')
    .crossJoin('check_results as r')
    .whereRef('r.monitor_id', '=', 'm.id')
    .where('r.started_at', '>=', w.previousStart)
    .where('r.started_at', '<', w.end)
    .select(['m.service', inWindow(w.start).as('now'), beforeWindow(w.start).as('before')])
    .where((eb) => eb.or([...(named.length ? [eb('m.service', 'in', named)] : []), ...(services.includes(null) ? [eb('m.service', 'is', null)] : [])]))
    .groupBy('m.service')
    .execute();
  for (const r of rows) out.set(r.service, { now: Number(r.now ?? 0), before: Number(r.before ?? 0) });
  return out;
}
