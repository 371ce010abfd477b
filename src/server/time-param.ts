import { z } from 'zod';
import { cutText } from '../shared/text.js';
import { parseTimeInput, TIME_INPUT_FORMS } from '../shared/time.js';
import { badRequest } from './errors.js';

/**
 * The one parser of the API's time parameters (`since`, `until`): shared/time.ts's parseTimeInput, and a
 * 400 naming the parameter for anything it does not read. Durations count back from the server's clock.
 */

/** A time query parameter in a route's schema: a string, read by parseTimeParam in the handler. */
export const timeQuery = (what: string) => z.string().optional().describe(`${what}: ${TIME_INPUT_FORMS}`);

export function parseTimeParam(value: string, name: string, now: number): number;
export function parseTimeParam(value: string | undefined, name: string, now: number): number | undefined;
export function parseTimeParam(value: string | undefined, name: string, now: number): number | undefined {
  if (value === undefined) return undefined;
  const ms = parseTimeInput(value, now);
  if (ms === undefined) throw badRequest(`${name}: expected ${TIME_INPUT_FORMS} between 1970 and 9999, got ${JSON.stringify(cutText(value, 40))}`);
  return ms;
}
