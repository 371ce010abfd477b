import { parseTimeInput, TIME_INPUT_FORMS } from '../shared/time.js';
import { UsageError } from './output.js';

/**
 * `--since` / `--until`: read as the API reads its time parameters (shared/time.ts): an ISO-8601 date or
 * date-time ("2026-01-01", "2026-01-01T09:00:00+02:00"; a time without an offset is UTC), epoch
 * milliseconds, or a duration meaning that long before now ("30d", "12h").
 */
export function timeOption(name: string, value: string | undefined, now: number): number | undefined {
  if (value === undefined) return undefined;
  const ms = parseTimeInput(value, now);
  if (ms !== undefined) return ms;
  throw new UsageError(`${name}: expected ${TIME_INPUT_FORMS}, got ${JSON.stringify(value)}`);
}
