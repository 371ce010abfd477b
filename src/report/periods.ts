/**
 * Report periods in UTC: calendar months (`2026-03`) and ISO 8601 weeks (`2026-W09`, Monday to Sunday,
 * numbered within the ISO week-numbering year, so 2026-12-31 and 2027-01-01 are both in 2026-W53). The
 * report computes the boundaries here and asks the database for each period's time range, so the
 * database never formats a date per row.
 */

/** Calendar periods reports group by: months, or ISO 8601 weeks (Monday to Sunday). */
export type PeriodUnit = 'month' | 'week';

export interface Period {
  label: string;
  /** UTC milliseconds, [start, end). */
  start: number;
  end: number;
}

const DAY = 86_400_000;
const WEEK = 7 * DAY;

/** Monday 00:00 UTC of ISO week 1 of an ISO year: the week holding January 4th. */
function isoWeekOne(year: number): number {
  const jan4 = Date.UTC(year, 0, 4);
  const weekday = (new Date(jan4).getUTCDay() + 6) % 7; // Monday = 0
  return jan4 - weekday * DAY;
}

/** The period label of a UTC millisecond timestamp. */
export function periodOf(millis: number, unit: PeriodUnit): string {
  const d = new Date(millis);
  if (unit === 'month') return `${d.getUTCFullYear()}-${String(d.getUTCMonth() + 1).padStart(2, '0')}`;
  // The ISO year is the year of the Thursday of the timestamp's week.
  const midnight = Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate());
  const thursday = midnight + (3 - ((d.getUTCDay() + 6) % 7)) * DAY;
  const year = new Date(thursday).getUTCFullYear();
  const week = Math.floor((thursday - isoWeekOne(year)) / WEEK) + 1;
  return `${year}-W${String(week).padStart(2, '0')}`;
}

/** The [start, end) of a period label, in UTC milliseconds. */
export function periodRange(label: string, unit: PeriodUnit): { start: number; end: number } {
  if (unit === 'month') {
    const m = /^(\d{4})-(\d{2})$/.exec(label);
    if (!m) throw new Error(`not a month label: ${label}`);
    const [year, month] = [Number(m[1]), Number(m[2])];
    return { start: Date.UTC(year, month - 1, 1), end: Date.UTC(year, month, 1) };
  }
  const m = /^(\d{4})-W(\d{2})$/.exec(label);
  if (!m) throw new Error(`not an ISO week label: ${label}`);
  const start = isoWeekOne(Number(m[1])) + (Number(m[2]) - 1) * WEEK;
  return { start, end: start + WEEK };
}

/** Every period from the one holding `first` to the one holding `last`, in order and without gaps. */
export function periodsCovering(first: number, last: number, unit: PeriodUnit): Period[] {
  const out: Period[] = [];
  let at = first;
  while (at <= last) {
    const label = periodOf(at, unit);
    const range = periodRange(label, unit);
    out.push({ label, ...range });
    at = range.end;
  }
  return out;
}
