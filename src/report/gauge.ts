import { Gauge, type Registry } from 'prom-client';
import type { Clock } from '../shared/clock.js';
import type { Store } from '../store/index.js';
import { mttrGaugeSamples, type GaugeSample } from './metrics.js';

/**
 * `medic_mttr_seconds{phase, quantile}` on /metrics: the median and p90 of each phase and of MTTR over
 * the last 30 days. The values are read from the database when Prometheus scrapes, at most once per
 * `cacheMs` (scrapes every few seconds from several Prometheus servers must not each run the query),
 * and concurrent scrapes share one read. A failed read keeps the last values and is reported to
 * `onError`: a flaky database should not turn the whole /metrics answer into an error.
 */

export const MTTR_GAUGE = 'medic_mttr_seconds';

export interface MttrGaugeOptions {
  cacheMs?: number;
  onError?: (err: unknown) => void;
}

export function registerMttrGauge(registry: Registry, store: Store, clock: Clock, options: MttrGaugeOptions = {}): void {
  // One gauge per registry, however many times a process wires its core.
  if (registry.getSingleMetric(MTTR_GAUGE)) return;
  const cacheMs = options.cacheMs ?? 30_000;
  let samples: GaugeSample[] = [];
  let readAt = -Infinity;
  let reading: Promise<void> | undefined;

  const refresh = () =>
    (reading ??= mttrGaugeSamples(store, { now: clock.now() })
      .then(
        (fresh) => {
          samples = fresh;
          readAt = clock.now();
        },
        (err: unknown) => {
          // Try again at the next scrape, not at every one until the cache would have expired.
          readAt = clock.now();
          options.onError?.(err);
        },
      )
      .finally(() => (reading = undefined)));

  new Gauge({
    name: MTTR_GAUGE,
    help: 'MTTR and its phases over incidents detected in the last 30 days that recovered: median (quantile 0.5) and p90, in seconds. phase="total" is MTTR, phase="acknowledge" time to acknowledge (acknowledged_at − detected_at).',
    labelNames: ['phase', 'quantile'],
    registers: [registry],
    async collect() {
      if (clock.now() - readAt >= cacheMs) await refresh();
      this.reset();
      for (const s of samples) this.set(s.labels, s.value);
    },
  });
}
