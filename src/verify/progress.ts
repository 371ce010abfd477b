import { z } from 'zod';
import type { VerificationConfig } from '../config/index.js';

/**
 * The verification loop as a pure step, shared by the `verify.service` job and `medic verify`: after
 * each evaluation, verified (healthy for `stable_for`, or once when it is not set), failed (not healthy
 * by the end of `window`), or the time of the next evaluation (every `interval`, the last one at the
 * window's end).
 */

/** Where a verification stands between evaluations (kept in its job's payload). */
export const verificationProgress = z.object({
  /** When the fix was applied; the window starts here. */
  since: z.number(),
  /** since + window. */
  deadline: z.number(),
  /** Start of the current healthy streak. */
  healthySince: z.number().nullable(),
  evaluations: z.number().int().nonnegative(),
});
export type VerificationProgress = z.infer<typeof verificationProgress>;

export type VerificationStep = { outcome: 'verified' } | { outcome: 'failed' } | { outcome: 'continue'; nextAt: number };

export function startProgress(since: number, settings: VerificationConfig): VerificationProgress {
  return { since, deadline: since + settings.window, healthySince: null, evaluations: 0 };
}

export function advance(progress: VerificationProgress, evaluation: { at: number; healthy: boolean }, settings: VerificationConfig): { progress: VerificationProgress; step: VerificationStep } {
  const next: VerificationProgress = {
    ...progress,
    evaluations: progress.evaluations + 1,
    healthySince: evaluation.healthy ? (progress.healthySince ?? evaluation.at) : null,
  };
  if (next.healthySince !== null && evaluation.at - next.healthySince >= (settings.stable_for ?? 0)) return { progress: next, step: { outcome: 'verified' } };
  if (evaluation.at >= next.deadline) return { progress: next, step: { outcome: 'failed' } };
  return { progress: next, step: { outcome: 'continue', nextAt: Math.min(evaluation.at + settings.interval, next.deadline) } };
}
