import { setImmediate as yieldToRequests } from 'node:timers/promises';
import { sql } from 'kysely';
import type { Severity } from '../../config/index.js';
import { FIX_FLAG_LIKE, FIX_FLAG_TYPES, incidentServices, publicFactsSince, readEventBody, type IncidentStatus } from '../../incidents/index.js';
import { fromJson, inChunks, type Store } from '../../store/index.js';
import { RECENT_MS, type IncidentInput, type MonitorState, type RollupRow } from './state.js';
import { toWireRollups, type WireRollups } from './wire.js';
import { PUBLIC_SOURCE_EVENTS } from './updates.js';

/**
 * What the status page is computed from, read from the database with a few bounded queries: the listed
 * services' monitors, their roll-ups summed per day in the database, and the incidents of the history
 * window with the few events public updates come from. Nothing else of an incident is read.
 */

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
/**
 * Roll-ups are read in slices of this many monitors and days, with requests let in between: SQLite
 * reads run on the event loop, and one read of a thousand monitors' 90 days held it for seconds (the
 * API and the checks with it). A slice is at most 24,000 rows.
 */
const SLICE_MONITORS = 100;
const SLICE_DAYS = 10;

/** The listed services' monitors, read once per computation. */
export interface ListedMonitors {
  /** The enabled ones' current status: the services' state now. */
  states: MonitorState[];
  /** Every one by id, disabled ones too (their roll-ups are the services' past). */
  services: Map<number, string>;
}

export async function readMonitors(store: Store, services: readonly string[]): Promise<ListedMonitors> {
  const rows = await inChunks(store.dialect, services, (chunk) => store.db.selectFrom('monitors').select(['id', 'service', 'status', 'enabled']).where('service', 'in', chunk).execute());
  return {
    states: rows.filter((r) => Number(r.enabled) === 1).map((r) => ({ service: r.service!, status: r.status })),
    services: new Map(rows.map((r) => [Number(r.id), r.service!])),
  };
}

/** A monitor's roll-ups summed over a UTC day (or the part of it read so far). */
interface DaySum {
  monitorId: number;
  day: number;
  runs: number;
  up: number;
  degraded: number;
}

/**
 * Roll-ups of the hours [from, to) summed per monitor and UTC day, in the database. Monitors are named
 * by id so that each is read through the roll-ups' primary key (monitor_id, hour): joined with monitors
 * instead, SQLite scans every roll-up of every monitor.
 */
async function daySums(store: Store, of: readonly number[], from: number, to: number): Promise<DaySum[]> {
  const day = sql<number>`hour - (hour % ${sql.lit(DAY)})`;
  const rows = await inChunks(store.dialect, of, (ids) =>
    store.db
      .selectFrom('check_rollups')
      .select((eb) => ['monitor_id', day.as('day'), eb.fn.sum<number>('runs').as('runs'), eb.fn.sum<number>('up').as('up'), eb.fn.sum<number>('degraded').as('degraded')])
      .where('monitor_id', 'in', ids)
      .where('hour', '>=', from)
      .where('hour', '<', to)
      .groupBy(['monitor_id', day])
      .execute(),
  );
  return rows.map((r) => ({ monitorId: Number(r.monitor_id), day: Number(r.day), runs: Number(r.runs), up: Number(r.up), degraded: Number(r.degraded) }));
}

/** A day's sums over its hours before `through` (the day's end once it is whole), by monitor. */
interface Settled {
  through: number;
  sums: Map<number, DaySum>;
}

/**
 * The window's roll-ups as read: the settled part (columns, the same object until it changes, at most
 * once an hour: `version` says which) and the rows of the last two hours, read each time.
 */
export interface WindowRollups {
  settled: { version: number; rows: WireRollups };
  fresh: RollupRow[];
}

/**
 * Day sums of the history window. An hour that ended over an hour ago no longer changes (a run is
 * written within seconds of its hour), so it is read once and added to its day's sums: after the first
 * read, each one reads the last two hours (and the hour that settled since the last read) — 90 days of
 * a thousand services' roll-ups are two million rows, a day's 24,000, two hours' 2,000. Reads are
 * SQLite's on the event loop: what they cost is what the API and the checks wait. The settled sums are
 * handed over as columns made once per change, not as 90,000 rows made again per computation.
 */
export class DailyRollups {
  private readonly days = new Map<number, Settled>();
  private settled: WindowRollups['settled'] | undefined;
  /** The monitors the settled columns were made for (id → service), as text. */
  private madeFor = '';

  /** `monitors`: the listed services' monitors by id (ListedMonitors.services). */
  async read(store: Store, monitors: Map<number, string>, first: number, now: number): Promise<WindowRollups> {
    const settledUpTo = Math.max(first, now - HOUR - ((now - HOUR) % HOUR));
    let changed = false;
    for (const day of this.days.keys()) if (day < first) changed = this.days.delete(day);
    // What each day lacks of its settled hours, as [from, to) ranges, oldest first.
    const missing: { day: number; from: number; to: number }[] = [];
    for (let d = first; d < settledUpTo; d += DAY) {
      const from = this.days.get(d)?.through ?? d;
      const to = Math.min(d + DAY, settledUpTo);
      if (from < to) missing.push({ day: d, from, to });
    }
    const ids = [...monitors.keys()];
    const sliced = async (from: number, to: number) => {
      const rows: DaySum[] = [];
      for (let i = 0; i < ids.length; i += SLICE_MONITORS) {
        await yieldToRequests();
        rows.push(...(await daySums(store, ids.slice(i, i + SLICE_MONITORS), from, to)));
      }
      return rows;
    };
    // Ranges that follow each other (whole days, on a first read) are read together, SLICE_DAYS at a time.
    for (let i = 0; i < missing.length; ) {
      let j = i + 1;
      while (j < missing.length && j - i < SLICE_DAYS && missing[j]!.from === missing[j - 1]!.to) j++;
      const batch = missing.slice(i, j);
      const rows = await sliced(batch[0]!.from, batch.at(-1)!.to);
      for (const m of batch) if (!this.days.has(m.day)) this.days.set(m.day, { through: m.day, sums: new Map() });
      for (const r of rows) {
        const sums = this.days.get(r.day)?.sums;
        const s = sums?.get(r.monitorId);
        if (!sums) continue;
        if (s) {
          s.runs += r.runs;
          s.up += r.up;
          s.degraded += r.degraded;
        } else sums.set(r.monitorId, r);
      }
      for (const m of batch) this.days.get(m.day)!.through = m.to;
      changed = true;
      i = j;
    }
    const named = (rows: Iterable<DaySum>, out: RollupRow[]) => {
      for (const r of rows) {
        const service = monitors.get(r.monitorId);
        if (service !== undefined) out.push({ service, hour: r.day, runs: r.runs, up: r.up, degraded: r.degraded });
      }
      return out;
    };
    const madeFor = [...monitors].join();
    if (changed || !this.settled || madeFor !== this.madeFor) {
      const rows: RollupRow[] = [];
      for (const [d, { sums }] of this.days) if (d >= first) named(sums.values(), rows);
      this.settled = { version: (this.settled?.version ?? 0) + 1, rows: toWireRollups(rows) };
      this.madeFor = madeFor;
    }
    // The last two hours are at most two rows a monitor: one statement, not one per slice.
    await yieldToRequests();
    return { settled: this.settled, fresh: named(await daySums(store, ids, settledUpTo, now + HOUR), []) };
  }
}

/**
 * Incidents that were active at some point of the window and affect a listed service, with their public
 * source events. Events are read only for those still on the page (active, or resolved within 14 days):
 * an older one counts on its days' bars and nothing else.
 */
export async function readIncidents(store: Store, services: readonly string[], windowStart: number, now: number): Promise<IncidentInput[]> {
  const { db, dialect } = store;
  // Only what the page may use: never the title, labels or cause.
  const rows = await publicFactsSince(db, windowStart);
  const num = (v: number | null) => (v === null ? null : Number(v));
  const incidents = rows.map((r) => ({
    id: Number(r.id),
    service: r.service,
    severity: r.severity as Severity,
    status: r.status as IncidentStatus,
    startedAt: num(r.started_at),
    detectedAt: num(r.detected_at),
    resolvedAt: num(r.resolved_at),
    closedAt: num(r.closed_at),
  }));
  const affected = await incidentServices(db, dialect, incidents);
  const listed = new Set(services);
  const shown = incidents.filter((i) => affected.get(i.id)?.some((s) => listed.has(s)));
  const onPage = shown.filter((i) => i.closedAt === null || i.closedAt >= now - RECENT_MS).map((i) => i.id);
  const events = await inChunks(dialect, onPage, (ids) =>
    db
      .selectFrom('incident_events')
      .select(['incident_id', 'type', 'at', 'payload'])
      .where('incident_id', 'in', ids)
      .where((eb) => eb.or([eb('type', 'in', PUBLIC_SOURCE_EVENTS.filter((t) => !FIX_FLAG_TYPES.includes(t))), eb.and([eb('type', 'in', FIX_FLAG_TYPES), eb('payload', 'like', FIX_FLAG_LIKE)])]))
      .orderBy('id')
      .execute(),
  );
  const byIncident = new Map<number, IncidentInput['events'][number][]>();
  for (const e of events) {
    const id = Number(e.incident_id);
    const list = byIncident.get(id) ?? [];
    list.push({ ...readEventBody(e.type, fromJson(e.payload, {})), at: Number(e.at) });
    byIncident.set(id, list);
  }
  // Chunks are ordered within themselves; events of one incident are all in one chunk, in id order.
  return shown.map(({ service: _own, ...i }) => ({ ...i, services: affected.get(i.id) ?? [], events: byIncident.get(i.id) ?? [] }));
}
