import type { Severity } from '../../config/index.js';
import { toSeverity } from '../../incidents/index.js';

/**
 * An imported incident's severity, from the first of its severity, priority and urgency columns that
 * has a value (severity and priority are finer than urgency):
 *
 *   P1…P5, SEV1…SEV5, 1…5       → P1…P4 (5 counts as P4)
 *   urgency high / low          → P1 / P3 (PagerDuty: page now, or in working hours)
 *   critical, error, warning, … → as alerts map them (incidents/severity.ts)
 *   anything else, or nothing   → P3
 */
export function importedSeverity(values: readonly { column: string; value: string }[]): Severity {
  for (const { column, value } of values) {
    const v = value.trim().toLowerCase();
    if (!v) continue;
    const numbered = /^(?:p|sev|sev-|s)?([1-5])$/.exec(v);
    if (numbered) return `P${Math.min(4, Number(numbered[1]))}` as Severity;
    if (/urgency/i.test(column) && (v === 'high' || v === 'low')) return v === 'high' ? 'P1' : 'P3';
    return toSeverity(v, 'P3');
  }
  return 'P3';
}
