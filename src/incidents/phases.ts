/**
 * Phase timestamps and durations, derived as docs/ARCHITECTURE.md defines them. The one place that knows
 * the rules, used when an incident changes and by the report and import.
 *
 *   detect = detected − started      diagnose = diagnosed − detected
 *   resolve = resolved − diagnosed   verify = verified − resolved       MTTR = verified − started
 *
 * A timestamp never recorded collapses its phase into the next one (no diagnosed_at ⇒ diagnose = 0 and
 * resolve = resolved − detected); a missing verified_at counts as resolved_at (verify = 0).
 */

export interface PhaseTimestamps {
  started_at: number | null;
  detected_at: number | null;
  diagnosed_at: number | null;
  resolved_at: number | null;
  verified_at: number | null;
}

export interface PhaseDurations {
  detect_ms: number | null;
  diagnose_ms: number | null;
  resolve_ms: number | null;
  verify_ms: number | null;
  mttr_ms: number | null;
}

export const PHASES = ['detect', 'diagnose', 'resolve', 'verify'] as const;
export type Phase = (typeof PHASES)[number];

/**
 * Durations for an incident's timestamps. A phase has a duration once its end is recorded or a later
 * timestamp is (then it collapsed to 0); until the incident is resolved MTTR is null. A negative gap
 * (two sources' clocks disagreeing) counts as 0, and MTTR is the sum of the phases, so the parts always
 * add up to the whole.
 */
export function derivePhases(t: PhaseTimestamps): PhaseDurations {
  const gap = (from: number | null, to: number | null) => (from === null || to === null ? null : Math.max(0, to - from));
  const started = t.started_at ?? t.detected_at;
  const detected = t.detected_at ?? t.started_at;
  const diagnosed = t.diagnosed_at ?? (t.resolved_at !== null || t.verified_at !== null ? detected : null);
  const resolved = t.resolved_at ?? (t.verified_at !== null ? diagnosed : null);
  const verified = t.verified_at ?? resolved;
  const phases = {
    detect_ms: gap(started, detected),
    diagnose_ms: gap(detected, diagnosed),
    resolve_ms: gap(diagnosed, resolved),
    verify_ms: gap(resolved, verified),
  };
  const parts = Object.values(phases);
  const mttr_ms = verified === null || parts.some((p) => p === null) ? null : parts.reduce((a, b) => a! + b!, 0);
  return { ...phases, mttr_ms };
}
