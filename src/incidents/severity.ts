import type { Severity } from '../config/index.js';

/**
 * Maps the severities other tools use onto P1–P4. Alertmanager rules usually say critical / warning,
 * PagerDuty critical / error / warning / info.
 */
const WORDS: Record<string, Severity> = {
  p1: 'P1', critical: 'P1', crit: 'P1', fatal: 'P1', emergency: 'P1', page: 'P1',
  p2: 'P2', error: 'P2', high: 'P2', major: 'P2',
  p3: 'P3', warning: 'P3', warn: 'P3', medium: 'P3', minor: 'P3',
  p4: 'P4', info: 'P4', low: 'P4', informational: 'P4', none: 'P4',
};

export function toSeverity(value: unknown, fallback: Severity = 'P3'): Severity {
  if (typeof value !== 'string') return fallback;
  return WORDS[value.trim().toLowerCase()] ?? fallback;
}

export function isKnownSeverity(value: unknown): boolean {
  return typeof value === 'string' && value.trim().toLowerCase() in WORDS;
}

/** P1 is the most severe: true when `a` is at least as severe as `b`. */
export function atLeast(a: Severity, b: Severity): boolean {
  return Number(a[1]) <= Number(b[1]);
}
