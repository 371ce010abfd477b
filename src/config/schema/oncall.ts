import { IANAZone } from 'luxon';
import { z } from 'zod';
import { duration } from '../units.js';
import { httpUrl, name } from './common.js';

/**
 * `people:` and `oncall:` — who can be paged, who is on call when (rotations in a time zone, with
 * overrides), and escalation policies: which people and channels are paged in turn until someone
 * acknowledges. Names used across sections are checked in references.ts.
 */

export const person = z.strictObject({
  name: name().describe('Unique name; schedules and escalation levels (`person:NAME`) refer to it.'),
  email: z.string().trim().regex(/^[^\s@]+@[^\s@]+$/, 'expected an email address such as "alice@example.com"').optional().describe('Paged by email, through the email channel named in oncall.contacts.email.'),
  slack: z.string().trim().regex(/^[UW][A-Z0-9]{2,}$/, 'expected a Slack user id such as "U024BE7LH"').optional().describe('Slack user id; paged through the Slack channel named in oncall.contacts.slack.'),
  webhook: httpUrl().optional().describe('Paged with the webhook channel\'s JSON body POSTed to this URL.'),
});
export type PersonConfig = z.infer<typeof person>;

/** "2026-11-30T09:00": a wall-clock time in the schedule's time zone. */
const LOCAL_RE = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2}))?$/;
export const localDateTime = () =>
  z.string().superRefine((value, ctx) => {
    const m = LOCAL_RE.exec(value.trim());
    const [mo, d, h, mi, s] = m ? [Number(m[2]), Number(m[3]), Number(m[4]), Number(m[5]), Number(m[6] ?? 0)] : [];
    if (!m || mo! < 1 || mo! > 12 || d! < 1 || d! > 31 || h! > 23 || mi! > 59 || s! > 59) {
      ctx.addIssue({ code: 'custom', message: `expected a local date and time such as "2026-11-30T09:00" (no offset: the schedule's time zone applies), got ${JSON.stringify(value)}` });
    }
  });

/** Shift lengths: weeks and days are calendar days in the schedule's zone, hours are wall-clock hours. */
const EVERY_RE = /^(\d{1,4})(w|d|h)$/;
export interface ShiftLength {
  unit: 'weeks' | 'days' | 'hours';
  count: number;
}
export const shiftLength = () =>
  z.string().transform((value, ctx): ShiftLength => {
    const m = EVERY_RE.exec(value.trim());
    const count = m ? Number(m[1]) : 0;
    if (!m || count < 1) {
      ctx.addIssue({ code: 'custom', message: `expected a shift length such as "1w", "1d" or "12h", got ${JSON.stringify(value)}`, input: value });
      return z.NEVER;
    }
    return { unit: ({ w: 'weeks', d: 'days', h: 'hours' } as const)[m[2] as 'w' | 'd' | 'h'], count };
  });

export const timezone = () =>
  z.string().superRefine((value, ctx) => {
    if (!IANAZone.isValidZone(value)) ctx.addIssue({ code: 'custom', message: `expected an IANA time zone such as "Europe/Berlin" or "UTC", got ${JSON.stringify(value)}` });
  });

export const override = z.strictObject({
  person: name().describe('Who is on call instead, for this span.'),
  from: localDateTime().describe('Start, local time in the schedule\'s zone.'),
  to: localDateTime().describe('End (exclusive), local time in the schedule\'s zone.'),
});
export type OverrideConfig = z.infer<typeof override>;

export const schedule = z.strictObject({
  name: name().describe('Unique schedule name; escalation levels refer to it as `schedule:NAME`.'),
  timezone: timezone().describe('IANA time zone the rotation\'s times are in; handoffs keep their local time across daylight-saving changes.'),
  rotation: z.strictObject({
    start: localDateTime().describe('When the first shift starts (local time), with the first person.'),
    every: shiftLength().describe('Shift length: "1w", "1d", "12h" (any count of w, d or h).'),
    people: z.array(name()).min(1, 'name at least one person').describe('People in turn, by name.'),
  }),
  overrides: z.array(override).default([]).describe('Spans where someone else is on call.'),
});
export type ScheduleConfig = z.infer<typeof schedule>;

export const PAGE_MODES = ['immediately', 'on_escalation'] as const;
export type PageMode = (typeof PAGE_MODES)[number];

/** `schedule:NAME`, `person:NAME` or `channel:NAME`. */
const TARGET_RE = /^(schedule|person|channel):(.+)$/;
export interface PageTarget {
  kind: 'schedule' | 'person' | 'channel';
  name: string;
}
export const pageTarget = () =>
  z.string().transform((value, ctx): PageTarget => {
    const m = TARGET_RE.exec(value.trim());
    if (!m || !m[2]!.trim()) {
      ctx.addIssue({ code: 'custom', message: `expected "schedule:NAME", "person:NAME" or "channel:NAME", got ${JSON.stringify(value)}`, input: value });
      return z.NEVER;
    }
    return { kind: m[1] as PageTarget['kind'], name: m[2]!.trim() };
  });

export const escalationLevel = z.strictObject({
  after: duration().prefault('0s').describe('How long after the previous page this level is paged (for the first level: after paging starts).'),
  notify: z.array(pageTarget()).min(1, 'name at least one target').describe('Who is paged: "schedule:NAME" (whoever is on call), "person:NAME", "channel:NAME".'),
});
export type EscalationLevelConfig = z.infer<typeof escalationLevel>;

export const escalationPolicy = z.strictObject({
  name: name().describe('Unique policy name; services[].escalation refers to it.'),
  page: z.enum(PAGE_MODES).default('on_escalation').describe('immediately: page when the incident opens. on_escalation: only once automation escalates, or when no remediation rule matched.'),
  levels: z.array(escalationLevel).min(1, 'give at least one level').describe('Paged in order until someone acknowledges.'),
  repeat: z.number().int().min(0).max(20).default(0).describe('Run the levels again this many times while nobody acknowledges.'),
});
export type EscalationPolicyConfig = z.infer<typeof escalationPolicy>;

export const oncall = z.strictObject({
  schedules: z.array(schedule).default([]).describe('Rotations: who is on call when.'),
  escalation_policies: z.array(escalationPolicy).default([]).describe('Who is paged, in which order, until someone acknowledges.'),
  contacts: z
    .strictObject({
      email: name().optional().describe('Email channel (notifications[].name) whose SMTP server and sender carry pages to people\'s email (default: the only email channel).'),
      slack: name().optional().describe('Slack channel whose webhook carries pages to people\'s Slack ids (default: the only Slack channel).'),
    })
    .prefault({})
    .describe('Which notification channels deliver pages to people: no other delivery path.'),
  ack_link_ttl: duration().prefault('1h').describe('How long the acknowledge link in a page works (it works once).'),
});
export type OncallConfig = z.infer<typeof oncall>;

/**
 * The wait before the first level when the levels run again (and before `escalation_exhausted` after the
 * last round): the first level's `after`, or when it has none the last level's, so the last people paged
 * get as long to answer as the level before them had.
 */
export function roundGap(policy: Pick<EscalationPolicyConfig, 'levels'>): number {
  return policy.levels[0]!.after || policy.levels.at(-1)!.after;
}
