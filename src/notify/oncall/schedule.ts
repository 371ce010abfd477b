import { DateTime } from 'luxon';
import type { ScheduleConfig } from '../../config/index.js';

/**
 * Who is on call: a pure function of a schedule, an instant and the schedule's overrides.
 *
 * Shift k of the rotation starts at `start + k × every` counted in wall-clock time of the schedule's
 * time zone, and belongs to `people[k mod n]`: a handoff at 09:00 is at 09:00 local on both sides of a
 * daylight-saving change (that shift is an hour shorter or longer). A handoff inside the spring-forward
 * gap moves forward by the gap (02:30 → 03:30), one in the repeated autumn hour happens at its second
 * occurrence (luxon's reading of such local times). An override replaces whoever is on call for
 * its span [from, to); where overrides overlap, the first listed wins. Before the rotation's start
 * nobody is on call (except by override).
 */

export interface Shift {
  person: string;
  /** UTC ms, inclusive. */
  start: number;
  /** UTC ms, exclusive. */
  end: number;
  /** True when an override put this person on call. */
  override: boolean;
}

/** At most this many shifts are listed in one answer (90 days of hourly shifts fit). */
export const MAX_SHIFTS = 5000;

/** A local date-time of the schedule ("2026-11-30T09:00") as an instant. */
export function localInstant(local: string, zone: string): number {
  return DateTime.fromISO(local, { zone }).toMillis();
}

/** Instant of the k-th handoff: wall-clock arithmetic, then that wall time read in the zone. */
function boundary(s: ScheduleConfig, k: number): number {
  const wall = DateTime.fromISO(s.rotation.start, { zone: 'utc' }).plus({ [s.rotation.every.unit]: s.rotation.every.count * k });
  return wall.setZone(s.timezone, { keepLocalTime: true }).toMillis();
}

/** Nominal length of a shift in ms, for a first guess of k. */
function nominal(s: ScheduleConfig): number {
  const hours = { weeks: 168, days: 24, hours: 1 }[s.rotation.every.unit];
  return hours * 3_600_000 * s.rotation.every.count;
}

/** The index of the rotation shift holding `at` (negative before the start). */
function shiftIndex(s: ScheduleConfig, at: number): number {
  let k = Math.floor((at - boundary(s, 0)) / nominal(s));
  // A DST change moves boundaries by an hour at most: the guess is off by one at most.
  while (boundary(s, k) > at) k--;
  while (boundary(s, k + 1) <= at) k++;
  return k;
}

function rotationAt(s: ScheduleConfig, at: number): { person: string; start: number; end: number } | undefined {
  const k = shiftIndex(s, at);
  if (k < 0) return undefined;
  const people = s.rotation.people;
  return { person: people[k % people.length]!, start: boundary(s, k), end: boundary(s, k + 1) };
}

function overridesOf(s: ScheduleConfig): { person: string; start: number; end: number }[] {
  return s.overrides.map((o) => ({ person: o.person, start: localInstant(o.from, s.timezone), end: localInstant(o.to, s.timezone) }));
}

/** Who is on call at `at`, or undefined when nobody is. */
export function onCallAt(s: ScheduleConfig, at: number): string | undefined {
  return overridesOf(s).find((o) => o.start <= at && at < o.end)?.person ?? rotationAt(s, at)?.person;
}

/**
 * The shifts overlapping [from, to), in order, cut where an override starts or ends, with adjacent spans
 * of the same person (and the same kind) merged. The first starts at or before `from`, the last ends at
 * or after `to`; gaps where nobody is on call are left out.
 */
export function shiftsBetween(s: ScheduleConfig, from: number, to: number): Shift[] {
  const overrides = overridesOf(s);
  const cuts = new Set<number>();
  for (const o of overrides) {
    if (o.end > from && o.start < to) cuts.add(o.start).add(o.end);
  }
  // The rotation's handoffs within the range, and the edges of the shifts around its ends.
  const first = rotationAt(s, from);
  let k = Math.max(0, shiftIndex(s, from));
  for (let guard = 0; guard < MAX_SHIFTS; guard++, k++) {
    const b = boundary(s, k);
    cuts.add(b);
    if (b >= to) break;
  }
  if (first) cuts.add(first.start);
  const points = [...cuts].sort((a, b) => a - b);
  const out: Shift[] = [];
  for (let i = 0; i + 1 < points.length && out.length < MAX_SHIFTS; i++) {
    const [start, end] = [points[i]!, points[i + 1]!];
    if (start >= to) break;
    const o = overrides.find((x) => x.start <= start && start < x.end);
    const person = o?.person ?? rotationAt(s, start)?.person;
    if (person === undefined) continue;
    const last = out.at(-1);
    if (last && last.end === start && last.person === person && last.override === !!o) last.end = end;
    else out.push({ person, start, end, override: !!o });
  }
  return out.filter((x) => x.end > from);
}

/** Who is on call at `at` and who comes next (the next shift with another person), as shifts. */
export function currentAndNext(s: ScheduleConfig, at: number): { current: Shift | null; next: Shift | null } {
  // Look far enough ahead to reach the next handoff even with long shifts and a long override.
  const horizon = Math.min(at + 400 * 86_400_000, at + Math.max(nominal(s), 86_400_000) * 2 + overridesOf(s).reduce((n, o) => Math.max(n, o.end - at), 0));
  const list = shiftsBetween(s, at, horizon);
  const current = list.find((x) => x.start <= at && at < x.end) ?? null;
  const next = list.find((x) => x.start > at && x.person !== current?.person) ?? list.find((x) => x.start > at) ?? null;
  return { current, next };
}
