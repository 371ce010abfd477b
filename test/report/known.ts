import type { IncidentSpec } from './helpers.js';

/**
 * Known incidents with figures worked out by hand (minutes). Phases: detect, diagnose, resolve, verify.
 *
 *   March 2026   A  2 + 10 + 5 + 3 = 20    resolved − detected 15
 *                B  4 + 20 + 10 + 6 = 40                       30
 *                C  1 + (no diagnosis: 0) + 9 + (no verification: 0) = 10     9
 *                F  never resolved: not counted
 *   April 2026   D  5 + 30 + 20 + 5 = 60                        50
 *                G  0 + 15 + (no resolved_at: 0) + 15 = 30     — (no resolved_at)
 *                E  10 + 60 + 40 + 10 = 120, detected 30 April 23:30, resolved in May   100
 */
export const KNOWN: IncidentSpec[] = [
  { detected: '2026-03-02T10:00:00Z', detect: 2, diagnose: 10, resolve: 5, verify: 3 },
  { detected: '2026-03-10T08:00:00Z', detect: 4, diagnose: 20, resolve: 10, verify: 6, service: 'payments', severity: 'P1' },
  { detected: '2026-03-20T12:00:00Z', detect: 1, diagnose: null, resolve: 9, verify: null },
  { detected: '2026-03-25T12:00:00Z', detect: 3, diagnose: 7, resolve: null, verify: null },
  { detected: '2026-04-05T09:00:00Z', detect: 5, diagnose: 30, resolve: 20, verify: 5, service: 'payments', severity: 'P1' },
  { detected: '2026-04-10T09:00:00Z', detect: 0, diagnose: 15, resolve: null, verify: 15 },
  { detected: '2026-04-30T23:30:00Z', detect: 10, diagnose: 60, resolve: 40, verify: 10, severity: 'P1' },
];
