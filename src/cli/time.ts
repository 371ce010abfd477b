import { parseDuration } from '../config/index.js';
import { parseIsoInstant } from '../shared/time.js';
import { UsageError } from './output.js';

/**
 * `--since` / `--until`: an ISO-8601 date or date-time ("2026-01-01", "2026-01-01T09:00:00+02:00"; a
 * time without an offset is UTC), or a duration meaning that long before now ("30d", "12h").
 */
export function timeOption(name: string, value: string | undefined, now: number): number | undefined {
  if (value === undefined) return undefined;
  const instant = parseIsoInstant(value);
  if (instant !== undefined) return instant;
  const ago = /^\d/.test(value) && !/^\d+$/.test(value) ? parseDuration(value) : undefined;
  if (ago !== undefined) return now - ago;
  throw new UsageError(`${name}: expected a date such as 2026-01-01, a time such as 2026-01-01T09:00:00Z, or a duration ago such as 30d, got ${JSON.stringify(value)}`);
}
