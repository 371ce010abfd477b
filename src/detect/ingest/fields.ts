import { z } from 'zod';
import { closest } from '../../config/suggest.js';

/** Field types shared by the ingest formats. The schemas stay free of transforms so the routes can export them to OpenAPI as they are. */

const ISO_RE = /^(\d{4})-(\d{2})-(\d{2})[Tt](\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,9}))?(?:([Zz])|([+-])(\d{2}):?(\d{2}))$/;

/**
 * Parses an ISO 8601 / RFC 3339 timestamp that carries its UTC offset (`Z`, `+02:00` or PagerDuty's
 * `+0000`) into UTC milliseconds; undefined for anything else. A time without an offset is refused: it
 * would mean whatever the server's time zone is. Parsed by hand because Date.parse accepts impossible dates
 * (Feb 30 rolls into March) and reads years below 100 as 19xx.
 */
export function parseIsoTimestamp(text: string): number | undefined {
  const m = ISO_RE.exec(text);
  if (!m) return undefined;
  const [year, month, day, hour, minute, second] = m.slice(1, 7).map(Number) as [number, number, number, number, number, number];
  if (month < 1 || month > 12 || hour > 23 || minute > 59 || second > 59) return undefined;
  const date = new Date(0);
  date.setUTCFullYear(year, month - 1, day);
  if (date.getUTCMonth() !== month - 1) return undefined; // day past the end of the month
  date.setUTCHours(hour, minute, second, Number((m[7] ?? '0').padEnd(3, '0').slice(0, 3)));
  let ms = date.getTime();
  if (!m[8]) {
    const offsetHours = Number(m[10]);
    const offsetMinutes = Number(m[11]);
    if (offsetHours > 23 || offsetMinutes > 59) return undefined;
    ms -= (m[9] === '-' ? -1 : 1) * (offsetHours * 60 + offsetMinutes) * 60_000;
  }
  return ms;
}

export const isoTimestamp = () =>
  z
    .string()
    .refine((v) => parseIsoTimestamp(v) !== undefined, {
      error: (iss) => `expected an ISO 8601 timestamp with a UTC offset, such as "2026-01-31T12:00:00Z", got ${JSON.stringify(iss.input)}`,
    })
    .meta({ format: 'date-time' });

/** A string → string map (labels, annotations). */
export const stringMap = () => z.record(z.string(), z.string());

/**
 * An object that refuses unknown keys and names the known key each one most resembles, in the schema's
 * own message so the route's validator reports the same hint.
 */
export function strictObjectWithHints<S extends z.core.$ZodLooseShape>(shape: S) {
  const known = Object.keys(shape);
  return z.strictObject(shape, {
    error: (iss) => {
      if (iss.code !== 'unrecognized_keys') return undefined;
      return iss.keys
        .map((key) => {
          const hint = closest(key, known);
          return `unknown field ${JSON.stringify(key)}${hint ? ` (did you mean ${JSON.stringify(hint)}?)` : ''}`;
        })
        .join('; ')
        .concat(`; allowed fields: ${known.join(', ')}`);
    },
  });
}
