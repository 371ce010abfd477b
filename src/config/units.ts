import { z } from 'zod';

/**
 * Value types of medic.yaml that are friendlier than raw numbers. Every one of them turns into a plain
 * number when parsed, so the rest of Medic never sees a unit string.
 */

const UNIT_MS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 };
const DURATION_RE = /^(\d+(?:\.\d+)?)(ms|s|m|h|d)$/;

/** Parses `60` (seconds), `"30s"`, `"500ms"`, `"5m"`, `"1h"`, `"7d"` into milliseconds; undefined if malformed. */
export function parseDuration(value: unknown): number | undefined {
  if (typeof value === 'number') return Number.isFinite(value) && value >= 0 ? Math.round(value * 1000) : undefined;
  if (typeof value !== 'string') return undefined;
  const text = value.trim();
  if (/^\d+(?:\.\d+)?$/.test(text)) return Math.round(Number(text) * 1000);
  const m = DURATION_RE.exec(text);
  if (!m) return undefined;
  return Math.round(Number(m[1]) * (UNIT_MS[m[2]!] ?? 1));
}

/** Formats milliseconds the way a person writes them in medic.yaml ("90s" → "1m30s"). */
export function formatDuration(ms: number): string {
  if (ms < 1000) return `${Math.round(ms)}ms`;
  const parts: string[] = [];
  let rest = Math.round(ms / 1000);
  for (const [unit, size] of [['d', 86_400], ['h', 3600], ['m', 60], ['s', 1]] as const) {
    if (rest >= size) {
      parts.push(`${Math.floor(rest / size)}${unit}`);
      rest %= size;
    }
  }
  return parts.join('');
}

/** A duration in medic.yaml; parses to milliseconds. */
export const duration = () =>
  z.union([z.number(), z.string()]).transform((value, ctx) => {
    const ms = parseDuration(value);
    if (ms === undefined) {
      ctx.addIssue({
        code: 'custom',
        message: `expected a duration such as 60, "30s", "5m" or "1h", got ${JSON.stringify(value)}`,
        input: value,
      });
      return z.NEVER;
    }
    return ms;
  });

/** Parses `"5%"` or `0.05` into a fraction between 0 and 1; undefined if malformed or out of range. */
export function parsePercentage(value: unknown): number | undefined {
  let fraction: number | undefined;
  if (typeof value === 'number') fraction = value;
  else if (typeof value === 'string') {
    const m = /^\s*(-?\d+(?:\.\d+)?)\s*%\s*$/.exec(value);
    if (m) fraction = Number(m[1]) / 100;
    else if (/^\s*\d+(?:\.\d+)?\s*$/.test(value)) fraction = Number(value);
  }
  if (fraction === undefined || !Number.isFinite(fraction) || fraction < 0 || fraction > 1) return undefined;
  return fraction;
}

/** A percentage in medic.yaml ("5%" or 0.05); parses to a fraction. */
export const percentage = () =>
  z.union([z.number(), z.string()]).transform((value, ctx) => {
    const fraction = parsePercentage(value);
    if (fraction === undefined) {
      ctx.addIssue({
        code: 'custom',
        message: `expected a percentage such as "5%" or a fraction such as 0.05 (between 0 and 1), got ${JSON.stringify(value)}`,
        input: value,
      });
      return z.NEVER;
    }
    return fraction;
  });

/** A size in bytes: 1048576, "512kb", "1mb". */
export function parseSize(value: unknown): number | undefined {
  if (typeof value === 'number') return Number.isInteger(value) && value >= 0 ? value : undefined;
  if (typeof value !== 'string') return undefined;
  const m = /^\s*(\d+(?:\.\d+)?)\s*(b|kb|mb|gb)?\s*$/i.exec(value);
  if (!m) return undefined;
  const mult = { b: 1, kb: 1024, mb: 1024 ** 2, gb: 1024 ** 3 }[(m[2] ?? 'b').toLowerCase() as 'b'];
  return Math.round(Number(m[1]) * mult);
}

export const size = () =>
  z.union([z.number(), z.string()]).transform((value, ctx) => {
    const bytes = parseSize(value);
    if (bytes === undefined) {
      ctx.addIssue({ code: 'custom', message: `expected a size such as 1048576 or "1mb", got ${JSON.stringify(value)}`, input: value });
      return z.NEVER;
    }
    return bytes;
  });
