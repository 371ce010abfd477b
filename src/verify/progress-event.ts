import { formatDuration, type VerificationConfig } from '../config/index.js';
import type { VerificationProgressPayload } from '../incidents/index.js';
import { formatPercent, type Evaluation } from './evaluate.js';
import type { VerificationProgress } from './progress.js';

/**
 * The `verification_progress` event, one per evaluation (its schema: incidents/event-payloads.ts), with
 * `summary`, the sentence every describer prints as it is, so an event reads the same later, whatever
 * the config says then.
 */
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
