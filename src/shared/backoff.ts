/**
 * The one backoff of Medic: how long to wait before attempt n of something that failed. A monitor's
 * `retry` policy within one run (detect/checks/retry.ts, and the worst case the report adds up in
 * report/detection-time.ts), a failed job's next run (store/jobs.ts, notify/deliver.ts) and the job
 * runner's claims and outcome writes while the database is away (runtime/job-runner.ts) all ask this.
 */

export type BackoffStrategy = 'fixed' | 'linear' | 'exponential';

export interface Backoff {
  /** fixed: base every time; linear: base·n; exponential (the default): base·2^(n-1). */
  strategy?: BackoffStrategy;
  /** The first delay. */
  baseMs: number;
  /** No delay is longer, jitter included. */
  capMs: number;
  /**
   * Spread each delay evenly over ±this fraction of itself (0.2: 80–120%), so that many workers that
   * failed together do not all retry in the same instant. Default 0: the delay is exact.
   */
  jitter?: number;
}

/** The delay before retry `n` (1-based; anything below 1 counts as 1), in whole ms when jittered. */
export function backoffDelay(n: number, backoff: Backoff, random: () => number = Math.random): number {
  const k = Math.max(1, n);
  const { baseMs, capMs, strategy = 'exponential', jitter = 0 } = backoff;
  // The exponent stops at 1000: 2^1000 is still finite, so a zero base stays 0 instead of 0·∞ = NaN.
  const raw = strategy === 'fixed' ? baseMs : strategy === 'linear' ? baseMs * k : baseMs * 2 ** Math.min(k - 1, 1000);
  const exact = Math.min(raw, capMs);
  if (jitter <= 0) return exact;
  return Math.min(capMs, Math.round(exact * (1 - jitter + random() * 2 * jitter)));
}
