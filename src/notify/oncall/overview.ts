import type { EscalationPolicyConfig, MedicConfig, PageTarget, ScheduleConfig } from '../../config/index.js';
import { currentAndNext, onCallAt, shiftsBetween, type Shift } from './schedule.js';

/**
 * Who is on call now (or at a given time) and next, per schedule and per escalation policy: what
 * `medic oncall` prints and GET /api/oncall answers. Pure: config and an instant in, data out.
 */

export interface ScheduleOverview {
  name: string;
  timezone: string;
  current: Shift | null;
  next: Shift | null;
  /** The shifts of the next UPCOMING_DAYS days, for the rotation's timeline. */
  upcoming: Shift[];
}

export const UPCOMING_DAYS = 14;

export interface ResolvedTarget {
  /** As written: "schedule:payments-primary". */
  target: string;
  kind: PageTarget['kind'];
  name: string;
  /** Who a page to it reaches at that time: the person on call for a schedule, the person, or null for a channel (or nobody on call). */
  person: string | null;
}

export interface PolicyOverview {
  name: string;
  page: EscalationPolicyConfig['page'];
  repeat: number;
  levels: { level: number; afterMs: number; targets: ResolvedTarget[] }[];
  /** The services whose incidents it pages for. */
  services: string[];
}

export interface OncallOverview {
  at: number;
  schedules: ScheduleOverview[];
  policies: PolicyOverview[];
}

type OncallSource = Pick<MedicConfig, 'oncall' | 'services'>;

export const targetText = (t: PageTarget) => `${t.kind}:${t.name}`;

/** Who a level's target reaches at `at`. */
export function resolveTarget(config: Pick<MedicConfig, 'oncall'>, t: PageTarget, at: number): ResolvedTarget {
  const base = { target: targetText(t), kind: t.kind, name: t.name };
  if (t.kind === 'person') return { ...base, person: t.name };
  if (t.kind === 'channel') return { ...base, person: null };
  const schedule = config.oncall.schedules.find((s) => s.name === t.name);
  return { ...base, person: (schedule && onCallAt(schedule, at)) ?? null };
}

export function scheduleOverview(s: ScheduleConfig, at: number): ScheduleOverview {
  return { name: s.name, timezone: s.timezone, ...currentAndNext(s, at), upcoming: shiftsBetween(s, at, at + UPCOMING_DAYS * 86_400_000) };
}

/** The overview; with `schedule`, only that schedule and the policies that page it. */
export function oncallOverview(config: OncallSource, at: number, schedule?: string): OncallOverview {
  const schedules = config.oncall.schedules.filter((s) => schedule === undefined || s.name === schedule).map((s) => scheduleOverview(s, at));
  const policies = config.oncall.escalation_policies
    .filter((p) => schedule === undefined || p.levels.some((l) => l.notify.some((t) => t.kind === 'schedule' && t.name === schedule)))
    .map((p) => ({
      name: p.name,
      page: p.page,
      repeat: p.repeat,
      levels: p.levels.map((l, i) => ({ level: i + 1, afterMs: l.after, targets: l.notify.map((t) => resolveTarget(config, t, at)) })),
      services: config.services.filter((s) => s.escalation === p.name).map((s) => s.name),
    }));
  return { at, schedules, policies };
}
