import type { MedicConfig, VerificationConfig } from '../config/index.js';
import type { Db } from '../store/index.js';
import { hasMonitors, monitorHealth, type MonitorHealth } from './monitors.js';
import { queryNumber, type PromNumber } from './prometheus.js';

/**
 * One evaluation of a service's recovery, as a verify-recovery loop prints it:
 * "Error rate: 0.4%, P95 latency: 212 ms" (plus how its monitors are doing). Healthy means the error
 * rate is under `max_error_rate`, p95 latency under `max_latency_p95`, and every monitor has passed
 * since the fix; a measure that has no data yet is not healthy.
 */

export interface Evaluation {
  at: number;
  healthy: boolean;
  /** One line for people (and the timeline). */
  line: string;
  errorRate?: PromNumber;
  latencyP95Ms?: PromNumber;
  monitors: MonitorHealth[];
}

export interface Watchers {
  monitors: boolean;
  errorRate: boolean;
  latency: boolean;
}

type EvaluationConfig = Pick<MedicConfig, 'services' | 'monitors' | 'prometheus'>;

/** What there is to watch for a service. Metrics count only when Prometheus is configured. */
export async function watchersOf(db: Db, config: EvaluationConfig, service: string | null): Promise<Watchers> {
  if (!service) return { monitors: false, errorRate: false, latency: false };
  const metrics = config.prometheus ? config.services.find((s) => s.name === service)?.metrics : undefined;
  return { monitors: await hasMonitors(db, config, service), errorRate: !!metrics?.error_rate, latency: !!metrics?.latency_p95_ms };
}

export const nothingToWatch = (w: Watchers) => !w.monitors && !w.errorRate && !w.latency;

export async function evaluateRecovery(
  db: Db,
  config: EvaluationConfig,
  input: { service: string; since: number; at: number; settings: VerificationConfig; watchers: Watchers; signal?: AbortSignal },
): Promise<Evaluation> {
  const { service, settings, watchers } = input;
  const metrics = config.services.find((s) => s.name === service)?.metrics;
  const [errorRate, latencyP95Ms, monitors] = await Promise.all([
    watchers.errorRate && config.prometheus && metrics?.error_rate ? queryNumber(config.prometheus, metrics.error_rate, input.signal) : undefined,
    watchers.latency && config.prometheus && metrics?.latency_p95_ms ? queryNumber(config.prometheus, metrics.latency_p95_ms, input.signal) : undefined,
    watchers.monitors ? monitorHealth(db, config, service, input.since) : Promise.resolve([]),
  ]);
  const errorOk = errorRate === undefined || (errorRate.value !== null && errorRate.value < settings.max_error_rate);
  const latencyOk = latencyP95Ms === undefined || (latencyP95Ms.value !== null && latencyP95Ms.value < settings.max_latency_p95);
  const monitorsOk = monitors.every((m) => m.state === 'passing');
  return {
    at: input.at,
    healthy: errorOk && latencyOk && monitorsOk,
    line: formatEvaluation({ errorRate, latencyP95Ms, monitors }),
    ...(errorRate ? { errorRate } : {}),
    ...(latencyP95Ms ? { latencyP95Ms } : {}),
    monitors,
  };
}

/** 0.004 → "0.4%". */
export function formatPercent(fraction: number): string {
  return `${Number((fraction * 100).toFixed(2))}%`;
}

function metric(label: string, m: PromNumber | undefined, format: (v: number) => string): string | undefined {
  if (m === undefined) return undefined;
  if (m.value !== null) return `${label}: ${format(m.value)}`;
  return `${label}: ${m.error ? `unknown (${m.error})` : 'no data'}`;
}

export function formatEvaluation(e: Pick<Evaluation, 'errorRate' | 'latencyP95Ms' | 'monitors'>): string {
  const parts = [metric('Error rate', e.errorRate, formatPercent), metric('P95 latency', e.latencyP95Ms, (v) => `${Math.round(v)} ms`)].filter((p): p is string => !!p);
  if (e.monitors.length > 0) {
    const passing = e.monitors.filter((m) => m.state === 'passing').length;
    const others = e.monitors.filter((m) => m.state !== 'passing').map((m) => `${m.name}: ${m.state === 'pending' ? 'no run since the fix' : `${m.status}${m.error ? ` (${m.error})` : ''}`}`);
    parts.push(`Monitors: ${passing}/${e.monitors.length} passing${others.length ? ` (${others.join('; ')})` : ''}`);
  }
  return parts.join(', ');
}
