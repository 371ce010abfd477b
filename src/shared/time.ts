import { parseDuration } from '../config/units.js';

/**
 * Instants people and exports write: ISO-8601 dates and times with any UTC offset. Stricter than
 * Date.parse, which reads a date-time without an offset in the machine's local time zone and accepts
 * things like "2026-02-30" by rolling them over; here every field is checked and a time without an
 * offset is UTC (documented where it is accepted).
 */

const ISO = /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:[.,](\d{1,9}))?)?\s*(Z|z|UTC|[+-]\d{2}(?::?\d{2})?)?)?$/;

/** UTC milliseconds of an ISO-8601 date or date-time; undefined when it is not one (or not a real date). */
export function parseIsoInstant(text: string): number | undefined {
  const m = ISO.exec(text.trim());
  if (!m) return undefined;
  const [, y, mo, d, h = '0', mi = '0', s = '0', frac = '', offset] = m;
  const [year, month, day, hour, minute, second] = [y, mo, d, h, mi, s].map(Number) as [number, number, number, number, number, number];
  if (month < 1 || month > 12 || day < 1 || day > daysIn(year, month) || hour > 23 || minute > 59 || second > 59) return undefined;
  const ms = Math.floor(Number(`0.${frac || '0'}`) * 1000);
  let offsetMinutes = 0;
  if (offset && !/^(z|utc)$/i.test(offset)) {
    const sign = offset.startsWith('-') ? -1 : 1;
    const digits = offset.slice(1).replace(':', '');
    const oh = Number(digits.slice(0, 2));
    const om = Number(digits.slice(2) || '0');
    if (oh > 23 || om > 59) return undefined;
    offsetMinutes = sign * (oh * 60 + om);
  }
  return Date.UTC(year, month - 1, day, hour, minute, second, ms) - offsetMinutes * 60_000;
}

function daysIn(year: number, month: number): number {
  return new Date(Date.UTC(year, month, 0)).getUTCDate();
}

/** The latest instant Medic reads: the end of year 9999, as far as four-digit ISO 8601 years go. */
export const MAX_INSTANT = Date.UTC(9999, 11, 31, 23, 59, 59, 999);

/** Longer than any form below can be: refused before it is looked at. */
const MAX_TIME_TEXT = 64;

/**
 * A point in time as people and tools write it, the one reading of every time parameter of the API and
 * the CLI: an ISO 8601 date or date-time (see parseIsoInstant), epoch milliseconds (digits only), or a
 * duration meaning that long before `now` ("15m", "36h", "7d"). Undefined for anything else, and for
 * instants before 1970 or after 9999, so an absurd value never reaches a query.
 */
export function parseTimeInput(text: string, now: number): number | undefined {
  const value = text.trim();
  if (value === '' || value.length > MAX_TIME_TEXT) return undefined;
  let ms: number | undefined;
  if (/^\d+$/.test(value)) ms = Number(value);
  else if (/^\d+(?:\.\d+)?(?:ms|s|m|h|d)$/.test(value)) {
    const ago = parseDuration(value);
    ms = ago === undefined ? undefined : now - ago;
  } else ms = parseIsoInstant(value);
  return ms !== undefined && Number.isSafeInteger(ms) && ms >= 0 && ms <= MAX_INSTANT ? ms : undefined;
}

/** What parseTimeInput reads, in words for messages and docs. */
export const TIME_INPUT_FORMS = 'an ISO 8601 date or time ("2026-11-27", "2026-11-27T10:00:00Z"), epoch milliseconds, or a duration ago ("15m", "7d")';
