import type { CheckAggregates } from './checks.js';
import type { PrometheusSample, ServiceMetrics } from './prometheus.js';
import type { CommandCenter, ServiceRate, Tile, WindowedValue } from './schema.js';

/**
 * The three tiles and the error rate by service, from what Prometheus and the checks measured. Real
 * traffic says more than probes do: a figure comes from Prometheus when at least one service's
 * `metrics:` gave it a number, and from the checks otherwise; each tile says which, and over what.
 */

const ratio = (num: number, den: number) => (den > 0 ? num / den : null);
const count = (n: number, what: string) => `${n.toLocaleString('en-US')} ${what}${n === 1 ? '' : 's'}`;

/** Services with a number for this metric now or one window ago. */
function measured(sample: PrometheusSample | undefined, metric: 'errorRate' | 'latencyP95Ms' | 'throughput'): { service: string; v: WindowedValue }[] {
  return (sample?.services ?? []).flatMap((s: ServiceMetrics) => {
    const v = s.values[metric];
    return v && (v.value !== null || v.previous !== null) ? [{ service: s.service, v }] : [];
  });
}

/** Sum over the services that have a number in that window (null when none does). */
function sum(list: { v: WindowedValue }[], which: 'value' | 'previous'): number | null {
  const known = list.map((x) => x.v[which]).filter((x): x is number => x !== null);
  return known.length ? known.reduce((a, b) => a + b, 0) : null;
}

function errorRateTile(checks: CheckAggregates, sample: PrometheusSample | undefined, monitors: string): Tile {
  const rates = measured(sample, 'errorRate');
  if (rates.length === 0) return { value: ratio(checks.current.failed, checks.current.runs), previous: ratio(checks.previous.failed, checks.previous.runs), source: 'checks', basis: monitors };
  // Weighted by each service's traffic when every one of them has a throughput; else a plain mean.
  const traffic = new Map(measured(sample, 'throughput').map((t) => [t.service, t.v]));
  const overall = (which: 'value' | 'previous') => {
    const known = rates.filter((r) => r.v[which] !== null);
    if (known.length === 0) return null;
    const weights = known.map((r) => traffic.get(r.service)?.[which] ?? null);
    if (weights.every((w): w is number => w !== null) && weights.some((w) => w > 0)) {
      return known.reduce((acc, r, i) => acc + r.v[which]! * weights[i]!, 0) / weights.reduce((a, b) => a + b, 0);
    }
    return known.reduce((acc, r) => acc + r.v[which]!, 0) / known.length;
  };
  return { value: overall('value'), previous: overall('previous'), source: 'prometheus', basis: count(rates.length, 'service') };
}

function latencyTile(checks: CheckAggregates, sample: PrometheusSample | undefined, monitors: string): Tile {
  const latencies = measured(sample, 'latencyP95Ms');
  if (latencies.length === 0) return { value: checks.current.p95, previous: checks.previous.p95, source: 'checks', basis: monitors };
  // Percentiles of different services do not combine; the slowest service is the one that matters.
  const worst = (which: 'value' | 'previous') =>
    latencies.reduce<{ service: string; v: number } | null>((acc, l) => (l.v[which] !== null && (acc === null || l.v[which]! > acc.v) ? { service: l.service, v: l.v[which]! } : acc), null);
  const now = worst('value');
  return { value: now?.v ?? null, previous: worst('previous')?.v ?? null, source: 'prometheus', basis: now ? `slowest: ${now.service}` : count(latencies.length, 'service') };
}

function throughputTile(checks: CheckAggregates, sample: PrometheusSample | undefined, windowMs: number, monitors: string): Tile {
  const traffic = measured(sample, 'throughput');
  const perMinute = (n: number | null) => (n === null ? null : n * 60);
  if (traffic.length === 0) {
    const minutes = windowMs / 60_000;
    return { value: checks.current.runs / minutes, previous: checks.previous.runs / minutes, source: 'checks', basis: monitors };
  }
  return { value: perMinute(sum(traffic, 'value')), previous: perMinute(sum(traffic, 'previous')), source: 'prometheus', basis: count(traffic.length, 'service') };
}

export function tiles(checks: CheckAggregates, sample: PrometheusSample | undefined, windowMs: number, monitorCount: number): CommandCenter['tiles'] {
  const monitors = count(monitorCount, 'monitor');
  return {
    errorRate: errorRateTile(checks, sample, monitors),
    latencyP95Ms: latencyTile(checks, sample, monitors),
    throughputPerMinute: throughputTile(checks, sample, windowMs, monitors),
  };
}

/**
 * Error rate by service, worst first (then the busiest), `limit` of them: a service's figure comes from
 * Prometheus when its error_rate query gave a number (with the window before), else from its monitors'
 * runs in the window, beside the same rate in the window before (counted for the services shown only).
 */
const byName = (a: string | null, b: string | null) => ((a ?? '') < (b ?? '') ? -1 : (a ?? '') > (b ?? '') ? 1 : 0);

export function serviceRates(checks: CheckAggregates, sample: PrometheusSample | undefined, limit: number): CommandCenter['services'] {
  const rows = new Map<string | null, ServiceRate>();
  for (const s of checks.services) {
    rows.set(s.service, {
      service: s.service,
      errorRate: { value: ratio(s.failed, s.runs), previous: ratio(s.previous.failed, s.previous.runs) },
      source: 'checks',
      runs: s.runs,
      failed: s.failed,
    });
  }
  for (const { service, v } of measured(sample, 'errorRate')) rows.set(service, { service, errorRate: v, source: 'prometheus', runs: null, failed: null });
  const sorted = [...rows.values()].sort(
    (a, b) =>
      (b.errorRate.value ?? -1) - (a.errorRate.value ?? -1) ||
      (b.runs ?? 0) - (a.runs ?? 0) ||
      byName(a.service, b.service),
  );
  const total = new Set([...checks.servicesRan, ...rows.keys()]).size;
  return { total, items: sorted.slice(0, limit) };
}
