import { parseDuration } from '../../config/index.js';

/**
 * The time the command center looks at: the last `ms` up to now, compared with as long a window just
 * before it. Bounded, so an answer never reads more than two windows of check results.
 */
export interface TimeWindow {
  ms: number;
  start: number;
  end: number;
  previousStart: number;
}

export const DEFAULT_WINDOW_MS = 5 * 60_000;
export const MIN_WINDOW_MS = 60_000;
export const MAX_WINDOW_MS = 60 * 60_000;

export function timeWindow(now: number, ms = DEFAULT_WINDOW_MS): TimeWindow {
  return { ms, start: now - ms, end: now, previousStart: now - 2 * ms };
}

/** A duration as medic.yaml writes one ("5m", "1h", 300), within the bounds; undefined when it is not one. */
export function parseWindow(value: string | number | undefined): number | undefined {
  if (value === undefined) return DEFAULT_WINDOW_MS;
  const ms = parseDuration(value);
  if (ms === undefined || ms < MIN_WINDOW_MS || ms > MAX_WINDOW_MS) return undefined;
  return ms;
}
