import { z } from 'zod';
import { formatDuration, type VerificationConfig } from '../config/index.js';
import { formatPercent, type Evaluation } from './evaluate.js';
import type { VerificationProgress } from './progress.js';

/**
 * The `verification_progress` event, one per evaluation: what was checked with its figures and
 * thresholds, where the healthy streak and the window stand, and `summary`, the sentence that says all
 * of it. The CLI and the web timeline print `summary` as it is, so both say the same thing and an event
 * reads the same later, whatever the config says then. `line` is the evaluation's short form, the one
 * `medic verify` prints.
 */
export const verificationProgressPayload = z.object({
  summary: z.string(),
  line: z.string(),
  healthy: z.boolean(),
  /** 1 for the first evaluation after the fix. */
  evaluation: z.number().int().positive(),
  /** Since the fix, and the window it has. */
  elapsed_ms: z.number().nonnegative(),
  window_ms: z.number().positive(),
  /** How long it has been healthy (null: not healthy now), and how long it must be (0: one evaluation). */
  healthy_for_ms: z.number().nonnegative().nullable(),
  stable_for_ms: z.number().nonnegative(),
  monitors: z
    .array(
      z.object({
        name: z.string(),
        state: z.enum(['passing', 'failing', 'pending']),
        status: z.string().optional(),
        error: z.string().nullable().optional(),
        runs: z.number().int().nonnegative(),
        passing_runs: z.number().int().nonnegative(),
      }),
    )
    .optional(),
  /** Present when the error rate is watched; null when Prometheus gave no number (error says why, if it failed). */
  error_rate: z.number().nullable().optional(),
  error_rate_error: z.string().optional(),
  max_error_rate: z.number().optional(),
  latency_p95_ms: z.number().nullable().optional(),
  latency_error: z.string().optional(),
  max_latency_p95_ms: z.number().optional(),
});
export type VerificationProgressPayload = z.infer<typeof verificationProgressPayload>;

export function progressPayload(e: Evaluation, progress: VerificationProgress, settings: VerificationConfig): VerificationProgressPayload {
  const payload: Omit<VerificationProgressPayload, 'summary'> = {
    line: e.line,
    healthy: e.healthy,
    evaluation: progress.evaluations,
    elapsed_ms: Math.max(0, e.at - progress.since),
    window_ms: settings.window,
    healthy_for_ms: progress.healthySince === null ? null : e.at - progress.healthySince,
    stable_for_ms: settings.stable_for ?? 0,
    ...(e.monitors.length
      ? { monitors: e.monitors.map((m) => ({ name: m.name, state: m.state, ...(m.status ? { status: m.status } : {}), ...(m.error ? { error: m.error } : {}), runs: m.runs, passing_runs: m.passingRuns })) }
      : {}),
    ...(e.errorRate ? { error_rate: e.errorRate.value, ...(e.errorRate.value === null && e.errorRate.error ? { error_rate_error: e.errorRate.error } : {}), max_error_rate: settings.max_error_rate } : {}),
    ...(e.latencyP95Ms
      ? { latency_p95_ms: e.latencyP95Ms.value, ...(e.latencyP95Ms.value === null && e.latencyP95Ms.error ? { latency_error: e.latencyP95Ms.error } : {}), max_latency_p95_ms: settings.max_latency_p95 }
      : {}),
  };
  return { summary: describeProgress(payload), ...payload };
}

// formatDuration writes "0ms" for a streak that starts now; a person says 0s.
const dur = (ms: number) => (ms < 1000 ? '0s' : formatDuration(ms));

function metric(label: string, value: number | null, error: string | undefined, max: number | undefined, format: (v: number) => string): string {
  if (value === null) return `${label}: ${error ? `unknown (${error})` : 'no data'}`;
  return max === undefined ? `${label} ${format(value)}` : `${label} ${format(value)} ${value < max ? '<' : '≥'} ${format(max)}`;
}

/**
 * "monitor login: 2/3 runs passed since the fix; error rate 0.4% < 1% — healthy for 30s of 1m", or
 * "… — not healthy, 1m of the 5m window".
 */
export function describeProgress(p: Omit<VerificationProgressPayload, 'summary'>): string {
  const checked: string[] = [];
  for (const m of p.monitors ?? []) {
    if (m.runs === 0) checked.push(`monitor ${m.name}: no run since the fix`);
    else checked.push(`monitor ${m.name}: ${m.passing_runs}/${m.runs} runs passed since the fix${m.state === 'failing' ? `, the last ${m.status ?? 'failed'}${m.error ? ` (${m.error})` : ''}` : ''}`);
  }
  if (p.error_rate !== undefined) checked.push(metric('error rate', p.error_rate, p.error_rate_error, p.max_error_rate, formatPercent));
  if (p.latency_p95_ms !== undefined) checked.push(metric('p95 latency', p.latency_p95_ms, p.latency_error, p.max_latency_p95_ms, (v) => `${Math.round(v)} ms`));
  const verdict = p.healthy
    ? p.stable_for_ms > 0
      ? `healthy for ${dur(p.healthy_for_ms ?? 0)} of ${dur(p.stable_for_ms)}`
      : 'healthy'
    : `not healthy, ${dur(p.elapsed_ms)} of the ${dur(p.window_ms)} window`;
  return `${checked.join('; ')} — ${verdict}`;
}
