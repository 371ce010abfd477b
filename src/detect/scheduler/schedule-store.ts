import { randomBytes } from 'node:crypto';
import { sql, type Kysely } from 'kysely';
import { BatchStatement, type BatchCell, type BatchCellKind } from '../../store/batch-statement.js';
import type { Database, Db, StoreDialect, ValuesColumns } from '../../store/index.js';
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
  /** This claim's token: the run's result is written only while the schedule row still carries it. */
  leaseToken: string;
}

export interface FinishedRun {
  scheduleId: number;
  /** The token of the claim the run was made under (ClaimedRun.leaseToken). */
  leaseToken: string;
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
    // New with every claim, even when the same owner claims the row again after its lease lapsed: the
    // run of the earlier claim, still on its way, must not count as this one's.
    const leaseToken = randomBytes(9).toString('base64url');
    for (const ids of sizedChunks(runnable.map((r) => ({ id: Number(r.id) })))) {
      await trx.executeQuery(CLAIM.compile(compiler(trx, dialect), ids, { owner: o.owner, until: o.now + o.leaseMs, token: leaseToken }));
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
        leaseToken,
      };
    });
  });
}

/**
 * Extends the leases this worker holds (runs in flight and finished runs not yet flushed) to `until`;
 * with `expiringBefore`, only those that end before it, so leases with time left are not rewritten.
 */
export async function renewLeases(db: Db, owner: string, until: number, expiringBefore?: number): Promise<number> {
  let q = db.updateTable('monitor_schedule').set({ lease_until: until }).where('lease_owner', '=', owner);
  if (expiringBefore !== undefined) q = q.where('lease_until', '<', expiringBefore);
  const r = await q.executeTakeFirst();
  return Number(r.numUpdatedRows);
}

/** Gives back leases without running (shutdown): the runs become due for other workers at once. */
export async function releaseLeases(db: Db, owner: string, scheduleIds: number[]): Promise<void> {
  if (scheduleIds.length === 0) return;
  await db.updateTable('monitor_schedule').set({ lease_owner: null, lease_until: null }).where('lease_owner', '=', owner).where('id', 'in', scheduleIds).execute();
}

const HOUR = 3_600_000;

/** The columns a flush writes back to a schedule row and to a monitor row. */
const SCHEDULE_COLUMNS = {
  id: 'bigint',
  lease_token: 'text',
  next_run_at: 'bigint',
  status: 'text',
  consecutive_failures: 'integer',
  consecutive_successes: 'integer',
  failing_since: 'bigint',
  last_run_at: 'bigint',
  last_error: 'text',
} as const satisfies ValuesColumns<string>;
const MONITOR_COLUMNS = { id: 'bigint', status: 'text', last_run_at: 'bigint' } as const satisfies ValuesColumns<string>;

export interface WriteSummary {
  recorded: number;
  /** Runs whose claim had passed to another worker (or to a later claim) before they were written. */
  fenced: number;
}

/** A values table's columns as batch cells: every number here is an integer. */
const cellKinds = <C extends string>(columns: ValuesColumns<C>) => Object.fromEntries(Object.entries(columns).map(([name, type]) => [name, type === 'text' ? 'text' : 'integer'])) as Record<C, BatchCellKind>;

// The flush's and the claim's statements, compiled once per engine and batch size (see BatchStatement);
// the transaction's Kysely and the dialect are only used to compile.
interface Compiler {
  engine: string;
  db: Kysely<Database>;
  dialect: Pick<StoreDialect, 'valuesTable'>;
}
const compiler = (db: Kysely<Database>, dialect: Pick<StoreDialect, 'valuesTable' | 'engine'>): Compiler => ({ engine: dialect.engine, db, dialect });

const CLAIM = new BatchStatement({ id: 'integer' }, { owner: 'text', until: 'integer', token: 'text' }, (rows, s, c: Compiler) =>
  c.db
    .updateTable('monitor_schedule')
    .set({ lease_owner: s.owner as string, lease_until: s.until as number, lease_token: s.token as string })
    .where('id', 'in', rows.map((r) => r.id as number))
    .compile(),
);

const SCHEDULE_UPDATE = new BatchStatement(cellKinds(SCHEDULE_COLUMNS), { owner: 'text' }, (rows, s, c: Compiler) => {
  const v = c.dialect.valuesTable('v', SCHEDULE_COLUMNS, rows);
  return sql<{ id: number | string; lease_token: string }>`UPDATE monitor_schedule SET next_run_at = v.next_run_at, status = v.status, consecutive_failures = v.consecutive_failures,
      consecutive_successes = v.consecutive_successes, failing_since = v.failing_since, last_run_at = v.last_run_at, last_error = v.last_error,
      lease_owner = NULL, lease_until = NULL
    FROM ${v} WHERE monitor_schedule.id = v.id AND monitor_schedule.lease_owner = ${s.owner} AND monitor_schedule.lease_token = v.lease_token
    RETURNING monitor_schedule.id, monitor_schedule.lease_token`.compile(c.db);
});

const RESULT_COLUMNS = { monitor_id: 'integer', started_at: 'integer', duration_ms: 'number', status: 'text', error: 'text', timings: 'text', details: 'text', trace_id: 'text', location: 'text' } as const;
type ResultRow = Record<keyof typeof RESULT_COLUMNS, BatchCell>;
const RESULT_INSERT = new BatchStatement(RESULT_COLUMNS, {}, (rows, _s, c: Compiler) =>
  c.db
    .insertInto('check_results')
    .values(rows as never)
    .compile(),
);

const MONITOR_UPDATE = new BatchStatement(cellKinds(MONITOR_COLUMNS), {}, (rows, _s, c: Compiler) => sql`UPDATE monitors SET status = v.status, last_run_at = v.last_run_at FROM ${c.dialect.valuesTable('v', MONITOR_COLUMNS, rows)} WHERE monitors.id = v.id`.compile(c.db));

const ROLLUP_COLUMNS = { monitor_id: 'integer', hour: 'integer', runs: 'integer', up: 'integer', degraded: 'integer', duration_ms_sum: 'number' } as const;
const ROLLUP_UPSERT = new BatchStatement(ROLLUP_COLUMNS, {}, (rows, _s, c: Compiler) =>
  c.db
    .insertInto('check_rollups')
    .values(rows as never)
    .onConflict((oc) =>
      oc.columns(['monitor_id', 'hour']).doUpdateSet((eb) => ({
        runs: eb('check_rollups.runs', '+', eb.ref('excluded.runs')),
        up: eb('check_rollups.up', '+', eb.ref('excluded.up')),
        degraded: eb('check_rollups.degraded', '+', eb.ref('excluded.degraded')),
        duration_ms_sum: eb('check_rollups.duration_ms_sum', '+', eb.ref('excluded.duration_ms_sum')),
      })),
    )
    .compile(),
);

/**
 * Writes a batch of finished runs in one transaction, each only while this worker still holds the claim
 * it ran under: owner and token still on the schedule row. A worker whose lease expired and whose run was
 * claimed again (and maybe already recorded) by another writes nothing for it — no second result, no
 * streak wound back, no rollup counted twice. The schedule update comes first and says which runs held
 * their claim; it locks those rows, so no claim can take them over before the results commit.
 */
export async function writeFinished(db: Db, dialect: Pick<StoreDialect, 'valuesTable' | 'engine'>, owner: string, runs: readonly FinishedRun[]): Promise<WriteSummary> {
  if (runs.length === 0) return { recorded: 0, fenced: 0 };
  return db.transaction().execute(async (trx) => {
    const c = compiler(trx, dialect);
    const held: FinishedRun[] = [];
    for (const chunk of sizedChunks(runs)) {
      // UPDATE … FROM a values table: one statement for the whole chunk, however different its rows.
      // The token stays on the row (only a new claim replaces it), so RETURNING names the claim that held.
      const cells = chunk.map((r) => ({ id: r.scheduleId, lease_token: r.leaseToken, next_run_at: r.nextRunAt, status: r.streak.status, consecutive_failures: r.streak.consecutiveFailures, consecutive_successes: r.streak.consecutiveSuccesses, failing_since: r.streak.failingSince, last_run_at: r.startedAt, last_error: r.error }));
      const { rows } = await trx.executeQuery<{ id: number | string; lease_token: string }>(SCHEDULE_UPDATE.compile(c, cells, { owner }));
      const claims = new Set(rows.map((r) => `${Number(r.id)}:${r.lease_token}`));
      const recorded = chunk.filter((r) => claims.has(`${r.scheduleId}:${r.leaseToken}`));
      if (recorded.length === 0) continue;
      held.push(...recorded);
      for (const part of sizedChunks(recorded)) {
        const cells = part.map((r): ResultRow => ({ monitor_id: r.monitorId, started_at: r.startedAt, duration_ms: r.durationMs, status: r.status, error: r.error, timings: r.timings, details: r.details, trace_id: r.traceId, location: r.location === '*' ? 'default' : r.location }));
        await trx.executeQuery(RESULT_INSERT.compile(c, cells, {}));
      }
    }
    const summary = { recorded: held.length, fenced: runs.length - held.length };
    if (held.length === 0) return summary;
    // The monitor row: latest status and run, one row per monitor even when a batch holds several runs.
    const latest = new Map<number, FinishedRun>();
    for (const r of held) if ((latest.get(r.monitorId)?.startedAt ?? -Infinity) <= r.startedAt) latest.set(r.monitorId, r);
    for (const chunk of sizedChunks([...latest.values()])) {
      await trx.executeQuery(MONITOR_UPDATE.compile(c, chunk.map((r) => ({ id: r.monitorId, status: r.monitorStatus, last_run_at: r.startedAt })), {}));
    }
    await addRollups(c, held);
    return summary;
  });
}

async function addRollups(c: Compiler, runs: readonly FinishedRun[]): Promise<void> {
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
  for (const chunk of sizedChunks([...sums.values()])) await c.db.executeQuery(ROLLUP_UPSERT.compile(c, chunk, {}));
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
