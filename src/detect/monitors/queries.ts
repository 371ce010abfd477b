import type { MedicConfig } from '../../config/index.js';
import { isHttpUrl } from '../../shared/url.js';
import { fromJson, type Db } from '../../store/index.js';
import type { AssertionResult } from '../checks/check.js';

/**
 * Monitors as people look at them: status, the latest run, uptime over 24 h / 7 d / 30 d (from the
 * hourly rollups, so a month costs a few hundred rows) and latency percentiles of recent runs. Reads
 * are paginated and bounded; nothing here scans every result.
 */

export interface RunView {
  started_at: number;
  duration_ms: number;
  status: string;
  error: string | null;
  trace_id: string | null;
  trace_url: string | null;
}

export interface ResultView extends RunView {
  timings: Record<string, number>;
  /** What the scheduler stored: the run's assertions (see scheduler.ts). */
  details: AssertionResult[];
  location: string;
}

export interface MonitorView {
  id: number;
  name: string;
  service: string | null;
  type: string;
  status: string;
  enabled: boolean;
  last_run_at: number | null;
  last_result: RunView | null;
  uptime: { '24h': number | null; '7d': number | null; '30d': number | null };
  latency: { p50: number | null; p95: number | null };
  incident_id: number | null;
}

export interface MonitorQuery {
  id?: number;
  service?: string;
  status?: string;
  search?: string;
  limit?: number;
  offset?: number;
}

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
/** Latency percentiles read at most this many of the last 24 h's runs per monitor. */
const LATENCY_SAMPLE = 500;

/** Builds a run's trace link from the monitor's `trace_url` or `tracing.trace_url` template. */
export function traceLinker(config: Pick<MedicConfig, 'monitors' | 'tracing'>): (monitor: string, traceId: string | null) => string | null {
  const templates = new Map(config.monitors.map((m) => [m.name, m.trace_url ?? config.tracing.trace_url]));
  return (monitor, traceId) => {
    const template = templates.get(monitor) ?? config.tracing.trace_url;
    if (!traceId || !template) return null;
    // The id is a path segment (encoded), and the link is http(s) or none at all.
    const link = template.replaceAll('{trace_id}', encodeURIComponent(traceId));
    return isHttpUrl(link) ? link : null;
  };
}

function percentile(sorted: number[], q: number): number | null {
  if (sorted.length === 0) return null;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))]!;
}

export async function listMonitors(db: Db, link: ReturnType<typeof traceLinker>, now: number, q: MonitorQuery = {}): Promise<{ monitors: MonitorView[]; total: number }> {
  let base = q.id !== undefined ? db.selectFrom('monitors').where('id', '=', q.id) : db.selectFrom('monitors').where('enabled', '=', 1);
  if (q.service) base = base.where('service', '=', q.service);
  if (q.status) base = base.where('status', '=', q.status);
  if (q.search) base = base.where('name', 'like', `%${q.search.replace(/[%_]/g, '')}%`);
  const [{ total }, rows] = await Promise.all([
    base.select((eb) => eb.fn.countAll<number>().as('total')).executeTakeFirstOrThrow(),
    base
      .select(['id', 'name', 'service', 'type', 'status', 'enabled', 'last_run_at', 'incident_id'])
      // Trouble first: down, degraded, then the rest by name.
      .orderBy((eb) => eb.case().when('status', '=', 'down').then(0).when('status', '=', 'degraded').then(1).else(2).end())
      .orderBy('name')
      .limit(q.limit ?? 100)
      .offset(q.offset ?? 0)
      .execute(),
  ]);
  const ids = rows.map((r) => Number(r.id));
  const [uptime, recent] = await Promise.all([uptimes(db, ids, now), Promise.all(ids.map((id) => recentRuns(db, id, now)))]);
  const monitors = rows.map((r, i): MonitorView => {
    const runs = recent[i]!;
    const last = runs[0];
    const durations = runs.map((x) => Number(x.duration_ms)).sort((a, b) => a - b);
    return {
      id: Number(r.id),
      name: r.name,
      service: r.service,
      type: r.type,
      status: r.status,
      enabled: Number(r.enabled) === 1,
      last_run_at: r.last_run_at === null ? null : Number(r.last_run_at),
      last_result: last ? { started_at: Number(last.started_at), duration_ms: Number(last.duration_ms), status: last.status, error: last.error, trace_id: last.trace_id, trace_url: link(r.name, last.trace_id) } : null,
      uptime: uptime.get(Number(r.id)) ?? { '24h': null, '7d': null, '30d': null },
      latency: { p50: percentile(durations, 0.5), p95: percentile(durations, 0.95) },
      incident_id: r.incident_id === null ? null : Number(r.incident_id),
    };
  });
  return { monitors, total: Number(total) };
}

export async function getMonitor(db: Db, link: ReturnType<typeof traceLinker>, now: number, id: number): Promise<MonitorView | undefined> {
  const { monitors } = await listMonitors(db, link, now, { id });
  return monitors[0];
}

function recentRuns(db: Db, monitorId: number, now: number) {
  return db
    .selectFrom('check_results')
    .select(['started_at', 'duration_ms', 'status', 'error', 'trace_id'])
    .where('monitor_id', '=', monitorId)
    .where('started_at', '>=', now - DAY)
    .orderBy('started_at', 'desc')
    .limit(LATENCY_SAMPLE)
    .execute();
}

async function uptimes(db: Db, ids: number[], now: number): Promise<Map<number, MonitorView['uptime']>> {
  const out = new Map<number, MonitorView['uptime']>();
  if (ids.length === 0) return out;
  const rows = await db
    .selectFrom('check_rollups')
    .select(['monitor_id', 'hour', 'runs', 'up', 'degraded'])
    .where('monitor_id', 'in', ids)
    .where('hour', '>=', now - 30 * DAY - HOUR)
    .execute();
  const windows = { '24h': DAY, '7d': 7 * DAY, '30d': 30 * DAY } as const;
  const sums = new Map<number, Record<keyof typeof windows, { runs: number; ok: number }>>();
  for (const r of rows) {
    const id = Number(r.monitor_id);
    const s = sums.get(id) ?? { '24h': { runs: 0, ok: 0 }, '7d': { runs: 0, ok: 0 }, '30d': { runs: 0, ok: 0 } };
    // An hour counts when any of it lies in the window: the current hour is always in.
    for (const [w, span] of Object.entries(windows) as [keyof typeof windows, number][]) {
      if (Number(r.hour) + HOUR > now - span) {
        s[w].runs += Number(r.runs);
        s[w].ok += Number(r.up) + Number(r.degraded);
      }
    }
    sums.set(id, s);
  }
  for (const [id, s] of sums) out.set(id, { '24h': s['24h'].runs ? s['24h'].ok / s['24h'].runs : null, '7d': s['7d'].runs ? s['7d'].ok / s['7d'].runs : null, '30d': s['30d'].runs ? s['30d'].ok / s['30d'].runs : null });
  return out;
}

export async function monitorResults(db: Db, link: ReturnType<typeof traceLinker>, id: number, q: { since?: number; until?: number; status?: string; limit?: number }): Promise<ResultView[] | undefined> {
  const m = await db.selectFrom('monitors').select('name').where('id', '=', id).executeTakeFirst();
  if (!m) return undefined;
  let query = db.selectFrom('check_results').selectAll().where('monitor_id', '=', id);
  if (q.since !== undefined) query = query.where('started_at', '>=', q.since);
  if (q.until !== undefined) query = query.where('started_at', '<', q.until);
  if (q.status) query = query.where('status', '=', q.status);
  const rows = await query.orderBy('started_at', 'desc').orderBy('id', 'desc').limit(q.limit ?? 500).execute();
  return rows.map((r) => ({
    started_at: Number(r.started_at),
    duration_ms: Number(r.duration_ms),
    status: r.status,
    error: r.error,
    timings: fromJson<Record<string, number>>(r.timings, {}),
    details: fromJson<AssertionResult[]>(r.details, []),
    trace_id: r.trace_id,
    trace_url: link(m.name, r.trace_id),
    location: r.location,
  }));
}

/** A heartbeat ping: the monitor with this push token was pinged now. Returns its name, or undefined. */
export async function recordPing(db: Db, token: string, now: number): Promise<string | undefined> {
  const row = await db.selectFrom('monitors').select(['id', 'name']).where('heartbeat_token', '=', token).where('enabled', '=', 1).executeTakeFirst();
  if (!row) return undefined;
  await db.updateTable('monitors').set({ last_ping_at: now }).where('id', '=', row.id).execute();
  return row.name;
}
