import ical from 'ical-generator';
import type { ScheduleConfig } from '../../config/index.js';
import { shiftsBetween } from './schedule.js';

/**
 * A schedule's shifts as an iCalendar feed (RFC 5545) that people subscribe to in their calendars: one
 * event per shift over the next `days` days, times in UTC (every calendar shows them in its own zone).
 * An event's UID is the schedule, the person and the shift's start, so a calendar that fetches the feed
 * again updates the same events instead of adding copies.
 */

export const ICS_DAYS = 90;

export function scheduleIcs(s: ScheduleConfig, now: number, options: { days?: number; url?: string } = {}): string {
  const until = now + (options.days ?? ICS_DAYS) * 86_400_000;
  const calendar = ical({ name: `On call: ${s.name}`, prodId: { company: 'Medic', product: 'on-call', language: 'EN' }, ttl: 3600 });
  for (const shift of shiftsBetween(s, now, until)) {
    calendar.createEvent({
      id: `${s.name}-${shift.person}-${shift.start}@medic`,
      start: new Date(shift.start),
      end: new Date(shift.end),
      stamp: new Date(now),
      summary: `On call: ${shift.person} (${s.name})`,
      description: `${shift.person} is on call for ${s.name}${shift.override ? ' (override)' : ''}. Times follow the rotation in ${s.timezone}.`,
      ...(options.url ? { url: options.url } : {}),
    });
  }
  return calendar.toString();
}
