import { badRequest } from './errors.js';

/** A time query parameter: epoch milliseconds or an ISO 8601 timestamp; anything else is a 400 naming it. */
export function parseTimeParam(value: string, name: string): number;
export function parseTimeParam(value: string | undefined, name: string): number | undefined;
export function parseTimeParam(value: string | undefined, name: string): number | undefined {
  if (value === undefined) return undefined;
  const ms = /^\d+$/.test(value) ? Number(value) : Date.parse(value);
  if (!Number.isFinite(ms)) throw badRequest(`${name}: expected epoch milliseconds or an ISO 8601 time, got ${JSON.stringify(value)}`);
  return ms;
}
