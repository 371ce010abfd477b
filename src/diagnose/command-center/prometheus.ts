import type { MedicConfig } from '../../config/index.js';
import type { Clock } from '../../shared/clock.js';
import { queryNumber, type PromNumber } from '../../verify/prometheus.js';
import type { WindowedValue } from './schema.js';

/**
 * Each service's `metrics:` PromQL (error rate, p95 latency, throughput), read from Prometheus now and
 * as it was one window ago (the instant query's `time`), the same way verification reads them. A
 * thousand services are thousands of queries, far more than an answer in milliseconds can wait for:
 * samples are taken in the background, a few queries at a time, and the command center shows the
 * latest one. Sampling happens only when someone asks (no timer), at most every `refreshMs`.
 */

export type MetricName = 'errorRate' | 'latencyP95Ms' | 'throughput';

const QUERIES: Record<MetricName, 'error_rate' | 'latency_p95_ms' | 'throughput'> = {
  errorRate: 'error_rate',
  latencyP95Ms: 'latency_p95_ms',
  throughput: 'throughput',
};

export interface ServiceMetrics {
  service: string;
  /** Only the metrics the service configures; throughput is per second, as PromQL's rate() gives it. */
  values: Partial<Record<MetricName, WindowedValue>>;
}

export interface PrometheusSample {
  at: number;
  windowMs: number;
  services: ServiceMetrics[];
  /** A few of the reasons queries gave no number (Prometheus down, a rejected query, several series). */
  errors: string[];
}

export interface SamplerOptions {
  config: Pick<MedicConfig, 'prometheus' | 'services'>;
  clock: Clock;
  refreshMs?: number;
  concurrency?: number;
  /** Called when a new sample is ready (the command center drops its cached answers). */
  onSample?: () => void;
}

const MAX_ERRORS = 5;

export class PrometheusSampler {
  private readonly samples = new Map<number, PrometheusSample>();
  private readonly running = new Map<number, Promise<PrometheusSample>>();
  private readonly abort = new AbortController();
  private readonly refreshMs: number;
  private readonly concurrency: number;

  constructor(private readonly options: SamplerOptions) {
    this.refreshMs = options.refreshMs ?? 15_000;
    this.concurrency = options.concurrency ?? 8;
  }

  /** Services whose metrics are read (none without `prometheus.url`). */
  get services(): number {
    return this.options.config.prometheus ? this.options.config.services.filter((s) => s.metrics && Object.values(s.metrics).some(Boolean)).length : 0;
  }

  /** The latest sample for this window, if any; starts a new one in the background when it is due. */
  latest(windowMs: number): PrometheusSample | undefined {
    if (this.services === 0) return undefined;
    const sample = this.samples.get(windowMs);
    if (!sample || this.options.clock.now() - sample.at >= this.refreshMs) void this.refresh(windowMs).catch(() => undefined);
    return sample;
  }

  /** A new sample (the one being taken, if one is). */
  refresh(windowMs: number): Promise<PrometheusSample> {
    let run = this.running.get(windowMs);
    if (!run) {
      run = this.take(windowMs).finally(() => this.running.delete(windowMs));
      this.running.set(windowMs, run);
    }
    return run;
  }

  /** Cancels the queries in flight; no sample is taken after this. */
  stop(): void {
    this.abort.abort();
  }

  private async take(windowMs: number): Promise<PrometheusSample> {
    const { prometheus, services } = this.options.config;
    const at = this.options.clock.now();
    const errors: string[] = [];
    const tasks: { service: string; metric: MetricName; previous: boolean; query: string }[] = [];
    for (const s of services) {
      for (const [metric, key] of Object.entries(QUERIES) as [MetricName, (typeof QUERIES)[MetricName]][]) {
        const query = s.metrics?.[key];
        if (query) for (const previous of [false, true]) tasks.push({ service: s.name, metric, previous, query });
      }
    }
    const results: PromNumber[] = new Array(tasks.length);
    let next = 0;
    const worker = async () => {
      while (next < tasks.length && !this.abort.signal.aborted) {
        const i = next++;
        const t = tasks[i]!;
        results[i] = await queryNumber(prometheus!, t.query, this.abort.signal, t.previous ? at - windowMs : at);
      }
    };
    if (prometheus) await Promise.all(Array.from({ length: Math.min(this.concurrency, tasks.length) }, worker));

    const byService = new Map<string, ServiceMetrics>();
    const failed = new Set<string>();
    tasks.forEach((t, i) => {
      const r = results[i] ?? { value: null };
      // One line per query, though it was asked twice (now and a window ago).
      const what = `${t.service} ${QUERIES[t.metric]}`;
      if ('error' in r && r.error) {
        if (!failed.has(what) && errors.length < MAX_ERRORS) errors.push(`${what}: ${r.error}`);
        failed.add(what);
      }
      let s = byService.get(t.service);
      if (!s) byService.set(t.service, (s = { service: t.service, values: {} }));
      const v = (s.values[t.metric] ??= { value: null, previous: null });
      if (t.previous) v.previous = r.value;
      else v.value = r.value;
    });
    const sample: PrometheusSample = { at, windowMs, services: [...byService.values()], errors };
    if (!this.abort.signal.aborted) {
      this.samples.set(windowMs, sample);
      this.options.onSample?.();
    }
    return sample;
  }
}
