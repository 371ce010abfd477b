import { sql } from 'kysely';
import type { Db, StoreDialect } from '../../store/index.js';
import type { ScheduleStatus, StreakState } from './state.js';

/**
 * The scheduler's reads and writes, batched: one claim (select + update) per tick for every due run,
 * one lease renewal for every run a worker holds, and one flush per batch of finished runs (results,
 * streaks, monitor status, hourly rollups). Nothing here writes per check.
 */

export interface ClaimedRun {
  scheduleId: number;
  monitorId: number;
  name: string;
  location: string;
  /** When the run was due: lag is measured from it, and the next slot is placed after it. */
  dueAt: number;
  streak: StreakState;
  lastError: string | null;
  lastPingAt: number | null;
  createdAt: number;
  incidentId: number | null;
}

export interface FinishedRun {
  scheduleId: number;
  monitorId: number;
  location: string;
  startedAt: number;
  durationMs: number;
  status: 'up' | 'degraded' | 'down';
  error: string | null;
  timings: string;
  details: string;
  traceId: string | null;
  streak: StreakState;
  nextRunAt: number;
  /** The monitor as a whole after this run (down once enough locations confirm). */
  monitorStatus: ScheduleStatus;
}

export interface ClaimOptions {
  owner: string;
  /** Locations this worker runs: its own and `*`. */
  locations: string[];
  now: number;
  /** Claim runs due up to this far ahead; the worker starts each at its due time. */
  lookaheadMs: number;
  leaseMs: number;
  limit: number;
}

export async function claimDue(db: Db, dialect: StoreDialect, o: ClaimOptions): Promise<ClaimedRun[]> {
  return db.transaction().execute(async (trx) => {
    const due = trx
      .selectFrom('monitor_schedule')
      .select(['id', 'monitor_id', 'location', 'next_run_at', 'status', 'consecutive_failures', 'consecutive_successes', 'failing_since', 'last_error'])
      .where('next_run_at', '<=', o.now + o.lookaheadMs)
      .where('location', 'in', o.locations)
      .where((eb) => eb.or([eb('lease_until', 'is', null), eb('lease_until', '<', o.now)]))
      .orderBy('next_run_at')
      .limit(o.limit);
    const rows = await dialect.lockSkipLocked(due).execute();
    if (rows.length === 0) return [];
    const monitorIds = [...new Set(rows.map((r) => Number(r.monitor_id)))];
    const monitors = [];
    for (const ids of sizedChunks(monitorIds)) {
      monitors.push(...(await trx.selectFrom('monitors').select(['id', 'name', 'enabled', 'last_ping_at', 'created_at', 'incident_id']).where('id', 'in', ids).execute()));
    }
    const byId = new Map(monitors.map((m) => [Number(m.id), m]));
    const runnable = rows.filter((r) => Number(byId.get(Number(r.monitor_id))?.enabled ?? 0) === 1);
    if (runnable.length === 0) return [];
    for (const ids of sizedChunks(runnable.map((r) => Number(r.id)))) {
      await trx.updateTable('monitor_schedule').set({ lease_owner: o.owner, lease_until: o.now + o.leaseMs }).where('id', 'in', ids).execute();
    }
    return runnable.map((r): ClaimedRun => {
      const m = byId.get(Number(r.monitor_id))!;
      return {
        scheduleId: Number(r.id),
        monitorId: Number(r.monitor_id),
        name: m.name,
        location: r.location,
        dueAt: Number(r.next_run_at),
        streak: { status: r.status as ScheduleStatus, consecutiveFailures: r.consecutive_failures, consecutiveSuccesses: r.consecutive_successes, failingSince: r.failing_since === null ? null : Number(r.failing_since) },
        lastError: r.last_error,
        lastPingAt: m.last_ping_at === null ? null : Number(m.last_ping_at),
        createdAt: Number(m.created_at),
        incidentId: m.incident_id === null ? null : Number(m.incident_id),
      };
    });
  });
}

/** Extends every lease this worker holds (runs in flight and finished runs not yet flushed). */
export async function renewLeases(db: Db, owner: string, until: number): Promise<number> {
  const r = await db.updateTable('monitor_schedule').set({ lease_until: until }).where('lease_owner', '=', owner).executeTakeFirst();
  return Number(r.numUpdatedRows);
}

/** Gives back leases without running (shutdown): the runs become due for other workers at once. */
export async function releaseLeases(db: Db, owner: string, scheduleIds: number[]): Promise<void> {
  if (scheduleIds.length === 0) return;
  await db.updateTable('monitor_schedule').set({ lease_owner: null, lease_until: null }).where('lease_owner', '=', owner).where('id', 'in', scheduleIds).execute();
}

const HOUR = 3_600_000;

/**
 * Writes a batch of finished runs in one transaction. The schedule rows are updated only where this
 * worker still holds the lease: a worker that was cut off long enough for another to take over must
 * not wind the streak back. Results are written regardless — the run did happen.
 */
export async function writeFinished(db: Db, owner: string, runs: readonly FinishedRun[]): Promise<void> {
  if (runs.length === 0) return;
  await db.transaction().execute(async (trx) => {
    for (const chunk of sizedChunks(runs)) {
      await trx
        .insertInto('check_results')
        .values(chunk.map((r) => ({ monitor_id: r.monitorId, started_at: r.startedAt, duration_ms: r.durationMs, status: r.status, error: r.error, timings: r.timings, details: r.details, trace_id: r.traceId, location: r.location === '*' ? 'default' : r.location })))
        .execute();
      // UPDATE … FROM (VALUES …): standard SQL both engines accept; VALUES columns are column1, column2, …
      const rows = sql.join(
        chunk.map(
          (r) =>
            sql`(cast(${r.scheduleId} as bigint), cast(${r.nextRunAt} as bigint), ${r.streak.status}, cast(${r.streak.consecutiveFailures} as integer), cast(${r.streak.consecutiveSuccesses} as integer), cast(${r.streak.failingSince} as bigint), cast(${r.startedAt} as bigint), cast(${r.error} as text))`,
        ),
      );
      await sql`UPDATE monitor_schedule SET next_run_at = v.column2, status = v.column3, consecutive_failures = v.column4,
          consecutive_successes = v.column5, failing_since = v.column6, last_run_at = v.column7, last_error = v.column8,
          lease_owner = NULL, lease_until = NULL
        FROM (VALUES ${rows}) AS v WHERE monitor_schedule.id = v.column1 AND monitor_schedule.lease_owner = ${owner}`.execute(trx);
    }
    // The monitor row: latest status and run, one row per monitor even when a batch holds several runs.
    const latest = new Map<number, FinishedRun>();
    for (const r of runs) if ((latest.get(r.monitorId)?.startedAt ?? -Infinity) <= r.startedAt) latest.set(r.monitorId, r);
    for (const chunk of sizedChunks([...latest.values()])) {
      const rows = sql.join(chunk.map((r) => sql`(cast(${r.monitorId} as bigint), ${r.monitorStatus}, cast(${r.startedAt} as bigint))`));
      await sql`UPDATE monitors SET status = v.column2, last_run_at = v.column3
        FROM (VALUES ${rows}) AS v WHERE monitors.id = v.column1`.execute(trx);
    }
    await addRollups(trx, runs);
  });
}

async function addRollups(db: Db, runs: readonly FinishedRun[]): Promise<void> {
  const sums = new Map<string, { monitor_id: number; hour: number; runs: number; up: number; degraded: number; duration_ms_sum: number }>();
  for (const r of runs) {
    const hour = r.startedAt - (r.startedAt % HOUR);
    const key = `${r.monitorId}:${hour}`;
    const s = sums.get(key) ?? { monitor_id: r.monitorId, hour, runs: 0, up: 0, degraded: 0, duration_ms_sum: 0 };
    s.runs++;
    if (r.status === 'up') s.up++;
    if (r.status === 'degraded') s.degraded++;
    s.duration_ms_sum += r.durationMs;
    sums.set(key, s);
  }
  for (const chunk of sizedChunks([...sums.values()])) {
    await db
      .insertInto('check_rollups')
      .values(chunk)
      .onConflict((oc) =>
        oc.columns(['monitor_id', 'hour']).doUpdateSet((eb) => ({
          runs: eb('check_rollups.runs', '+', eb.ref('excluded.runs')),
          up: eb('check_rollups.up', '+', eb.ref('excluded.up')),
          degraded: eb('check_rollups.degraded', '+', eb.ref('excluded.degraded')),
          duration_ms_sum: eb('check_rollups.duration_ms_sum', '+', eb.ref('excluded.duration_ms_sum')),
        })),
      )
      .execute();
  }
}

/**
 * Deletes results older than `before`, a slice at a time so no transaction runs long, and rollups older
 * than `rollupsBefore` (the status page may show more days than results are kept; a rollup is one row
 * per monitor and hour).
 */
export async function pruneResults(db: Db, before: number, rollupsBefore = before, slice = 5_000): Promise<number> {
  let deleted = 0;
  for (;;) {
    const ids = await db.selectFrom('check_results').select('id').where('started_at', '<', before).limit(slice).execute();
    if (ids.length === 0) break;
    await db.deleteFrom('check_results').where('id', 'in', ids.map((r) => Number(r.id))).execute();
    deleted += ids.length;
    if (ids.length < slice) break;
  }
  await db.deleteFrom('check_rollups').where('hour', '<', rollupsBefore - HOUR).execute();
  return deleted;
}

/**
 * Batches of 128 and then powers of two (64, 32, …, 1): the statements a batch compiles to come in eight
 * sizes only, so the engines' prepared-statement caches hold a few of each instead of one per batch size
 * (a cached 2,000-row statement per size seen grew the process by hundreds of MB).
 */
export function* sizedChunks<T>(items: readonly T[], max = 128): Generator<T[]> {
  let i = 0;
  for (; items.length - i >= max; i += max) yield items.slice(i, i + max);
  for (let size = max >> 1; size >= 1; size >>= 1) {
    if (items.length - i >= size) {
      yield items.slice(i, i + size);
      i += size;
    }
  }
}
