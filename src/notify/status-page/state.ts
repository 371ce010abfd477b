import type { Severity, StatusPageConfig } from '../../config/index.js';
import type { EventLike, IncidentStatus } from '../../incidents/index.js';
import type { DayBar, DayLevel, PublicIncident, PublicService, ServiceState, StatusPage } from './schema.js';
import { SERVICE_STATES, STATE_TEXT } from './schema.js';
import { publicTimeline } from './updates.js';

/**
 * The status page, computed from what Medic knows, as a pure function of it: the listed services'
 * monitors (their current state), hourly check roll-ups (a bar a day), and the incidents affecting them
 * with the events their public updates come from.
 *
 * - A service is in major outage when all its monitors are down, in partial outage when some are,
 *   degraded when one is degraded; an active incident whose fix is not applied yet makes it at least
 *   as bad as the incident's severity says (P1 major, P2 partial, P3/P4 degraded).
 * - The page as a whole is in major outage only when every listed service is; partial when some are
 *   out, degraded when any is.
 * - A day's bar: its uptime (runs that passed, degraded ones included, over all runs of the service's
 *   monitors) — 99.9% and up operational, 99% degraded, 95% partial, below major — and at least
 *   degraded on a day with an incident.
 */

const DAY = 86_400_000;
/** Resolved incidents stay on the page this long. */
export const RECENT_MS = 14 * DAY;
/** At most this many resolved incidents are listed. */
const MAX_RECENT = 50;

export interface RollupRow {
  service: string;
  /** Start of the hour (or of a longer span) the counts are for, UTC ms. */
  hour: number;
  runs: number;
  up: number;
  degraded: number;
}

export interface MonitorState {
  service: string;
  /** pending | up | degraded | down */
  status: string;
}

export interface IncidentInput {
  id: number;
  severity: Severity;
  status: IncidentStatus;
  startedAt: number | null;
  detectedAt: number | null;
  resolvedAt: number | null;
  closedAt: number | null;
  /** Every service it affects; those not listed are dropped here. */
  services: readonly string[];
  /** Its public source events (updates.ts), oldest first. */
  events: readonly EventLike[];
}

export interface StatusInput {
  page: Pick<StatusPageConfig, 'title' | 'services' | 'history' | 'show_automatic_updates'>;
  now: number;
  monitors: readonly MonitorState[];
  rollups: readonly RollupRow[];
  incidents: readonly IncidentInput[];
}

const rank = (s: ServiceState | DayLevel) => (s === 'no_data' ? -1 : SERVICE_STATES.indexOf(s));
const worst = <T extends ServiceState | DayLevel>(a: T, b: T): T => (rank(b) > rank(a) ? b : a);
const iso = (ms: number) => new Date(ms).toISOString();

export const IMPACT: Record<Severity, Exclude<ServiceState, 'operational'>> = { P1: 'major_outage', P2: 'partial_outage', P3: 'degraded', P4: 'degraded' };

/** The first day (UTC midnight) of the history window, and how many days it has (today is the last). */
export function historyDays(now: number, history: number): { first: number; count: number } {
  const count = Math.max(1, Math.round(history / DAY));
  return { first: now - (now % DAY) - (count - 1) * DAY, count };
}

export function dayLevel(uptime: number | null, incidents: number): DayLevel {
  let level: DayLevel = uptime === null ? 'no_data' : uptime >= 0.999 ? 'operational' : uptime >= 0.99 ? 'degraded' : uptime >= 0.95 ? 'partial_outage' : 'major_outage';
  if (incidents > 0) level = worst(level, 'degraded');
  return level;
}

interface Shown extends PublicIncident {
  /** Until when it counts on the day bars. */
  endsAt: number;
  /** Whether its fix is not applied yet: it still weighs on its services' state. */
  unfixed: boolean;
}

function publicIncidents(input: StatusInput): Shown[] {
  const { page, now } = input;
  const out: Shown[] = [];
  for (const i of input.incidents) {
    // In the page's order; a service not listed does not exist here.
    const services = page.services.filter((s) => i.services.includes(s));
    if (services.length === 0) continue;
    const timeline = publicTimeline(i.events, page.show_automatic_updates);
    const closed = i.status === 'closed';
    const status = closed ? 'resolved' : (timeline.status ?? 'investigating');
    const lastUpdate = timeline.updates.at(-1)?.at;
    const resolvedAt = closed ? (i.closedAt ?? lastUpdate ?? now) : status === 'resolved' ? (lastUpdate ?? now) : null;
    const startedAt = i.startedAt ?? i.detectedAt ?? i.events[0]?.at ?? now;
    const impact = IMPACT[i.severity];
    out.push({
      id: i.id,
      title: `${STATE_TEXT[impact]}: ${services.join(', ')}`,
      impact,
      status,
      active: resolvedAt === null,
      services,
      started_at: iso(startedAt),
      resolved_at: resolvedAt === null ? null : iso(resolvedAt),
      updates: timeline.updates.map((u) => ({ status: u.status, message: u.message, at: iso(u.at), automatic: u.automatic })).reverse(),
      endsAt: resolvedAt ?? now,
      unfixed: resolvedAt === null && i.resolvedAt === null,
    });
  }
  return out;
}

function serviceStates(input: StatusInput, incidents: readonly Shown[]): Map<string, ServiceState> {
  const counts = new Map(input.page.services.map((s) => [s, { known: 0, down: 0, degraded: 0 }]));
  for (const m of input.monitors) {
    const c = counts.get(m.service);
    if (!c || (m.status !== 'up' && m.status !== 'down' && m.status !== 'degraded')) continue;
    c.known++;
    if (m.status === 'down') c.down++;
    if (m.status === 'degraded') c.degraded++;
  }
  const states = new Map<string, ServiceState>();
  for (const [service, c] of counts) {
    states.set(service, c.known > 0 && c.down === c.known ? 'major_outage' : c.down > 0 ? 'partial_outage' : c.degraded > 0 ? 'degraded' : 'operational');
  }
  for (const i of incidents) if (i.unfixed) for (const s of i.services) states.set(s, worst(states.get(s)!, i.impact));
  return states;
}

function overallState(states: readonly ServiceState[]): ServiceState {
  if (states.length > 0 && states.every((s) => s === 'major_outage')) return 'major_outage';
  if (states.some((s) => s === 'major_outage' || s === 'partial_outage')) return 'partial_outage';
  return states.some((s) => s === 'degraded') ? 'degraded' : 'operational';
}

function dayBars(input: StatusInput, incidents: readonly Shown[]): Map<string, { days: DayBar[]; uptime: number | null }> {
  const { first, count } = historyDays(input.now, input.page.history);
  const sums = new Map(input.page.services.map((s) => [s, { runs: new Float64Array(count), ok: new Float64Array(count), incidents: new Uint32Array(count) }]));
  for (const r of input.rollups) {
    const s = sums.get(r.service);
    const d = Math.floor((r.hour - first) / DAY);
    if (!s || d < 0 || d >= count) continue;
    s.runs[d]! += r.runs;
    s.ok[d]! += r.up + r.degraded;
  }
  for (const i of incidents) {
    const from = Math.max(0, Math.floor((Date.parse(i.started_at) - first) / DAY));
    const to = Math.min(count - 1, Math.floor((i.endsAt - first) / DAY));
    for (const service of i.services) for (let d = from; d <= to; d++) sums.get(service)!.incidents[d]!++;
  }
  const out = new Map<string, { days: DayBar[]; uptime: number | null }>();
  for (const [service, s] of sums) {
    const days: DayBar[] = new Array(count);
    let runs = 0;
    let ok = 0;
    for (let d = 0; d < count; d++) {
      const uptime = s.runs[d]! > 0 ? s.ok[d]! / s.runs[d]! : null;
      runs += s.runs[d]!;
      ok += s.ok[d]!;
      days[d] = { date: iso(first + d * DAY).slice(0, 10), uptime, incidents: s.incidents[d]!, level: dayLevel(uptime, s.incidents[d]!) };
    }
    out.set(service, { days, uptime: runs > 0 ? ok / runs : null });
  }
  return out;
}

export function computeStatusPage(input: StatusInput): StatusPage {
  const { page, now } = input;
  const incidents = publicIncidents(input);
  const states = serviceStates(input, incidents);
  const bars = dayBars(input, incidents);
  const services: PublicService[] = page.services.map((name) => ({ name, state: states.get(name)!, ...bars.get(name)! }));
  const strip = ({ endsAt: _e, unfixed: _u, ...i }: Shown): PublicIncident => i;
  const active = incidents
    .filter((i) => i.active)
    .sort((a, b) => rank(b.impact) - rank(a.impact) || b.started_at.localeCompare(a.started_at) || b.id - a.id);
  const recent = incidents
    .filter((i) => !i.active && i.endsAt >= now - RECENT_MS)
    .sort((a, b) => b.endsAt - a.endsAt || b.id - a.id)
    .slice(0, MAX_RECENT);
  return {
    title: page.title,
    state: overallState(services.map((s) => s.state)),
    generated_at: iso(now),
    services,
    active_incidents: active.map(strip),
    recent_incidents: recent.map(strip),
  };
}
