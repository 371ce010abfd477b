import { Counter, Histogram, Gauge, type Registry } from 'prom-client';
import type { CheckOutcome, Timings } from '../checks/index.js';

/**
 * The scheduler's own metrics. Label values are monitor names (bounded by the config), never URLs or
 * errors, so the series count stays that of the monitors.
 */
export interface SchedulerMetrics {
  observe(monitor: string, outcome: CheckOutcome): void;
  lag(ms: number): void;
  dropped(n: number): void;
  /** Results not written because the run's claim had passed to another worker or claim. */
  fenced(n: number): void;
  forget(monitor: string): void;
}

const PHASES: readonly (keyof Timings)[] = ['dns_ms', 'connect_ms', 'tls_ms', 'first_byte_ms', 'total_ms'];
const PHASE_LABEL: Record<string, string> = { dns_ms: 'dns', connect_ms: 'connect', tls_ms: 'tls', first_byte_ms: 'first_byte', total_ms: 'total' };

export function schedulerMetrics(registry: Registry): SchedulerMetrics {
  // One scheduler per process; a second one (a test's restart on the same registry) takes the names over.
  for (const name of ['medic_check_duration_seconds', 'medic_check_up', 'medic_checks_total', 'medic_scheduler_lag_seconds', 'medic_check_results_dropped_total', 'medic_check_results_fenced_total']) {
    if (registry.getSingleMetric(name)) registry.removeSingleMetric(name);
  }
  const duration = new Histogram({
    name: 'medic_check_duration_seconds',
    help: 'Duration of check runs by monitor and phase (dns, connect, tls, first_byte, total).',
    labelNames: ['monitor', 'phase'],
    buckets: [0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers: [registry],
  });
  const up = new Gauge({ name: 'medic_check_up', help: '1 when the latest run of the monitor passed (up or degraded), 0 when it failed.', labelNames: ['monitor'], registers: [registry] });
  const total = new Counter({ name: 'medic_checks_total', help: 'Check runs by result (up, degraded, down).', labelNames: ['result'], registers: [registry] });
  const lag = new Histogram({
    name: 'medic_scheduler_lag_seconds',
    help: 'How late check runs started against their due time.',
    buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.075, 0.1, 0.25, 0.5, 1, 5],
    registers: [registry],
  });
  const dropped = new Counter({ name: 'medic_check_results_dropped_total', help: 'Check results dropped because the database was unreachable for too long and the buffer was full.', registers: [registry] });
  const fenced = new Counter({
    name: 'medic_check_results_fenced_total',
    help: 'Check results not recorded because the lease they ran under had expired and the run was claimed again (a late worker).',
    registers: [registry],
  });
  const totals = { up: total.labels('up'), degraded: total.labels('degraded'), down: total.labels('down') };
  // Label children per monitor, looked up once: labels() hashes its arguments on every call.
  type Children = { phases: Map<keyof Timings, Histogram.Internal<'monitor' | 'phase'>>; up: Gauge.Internal<'monitor'> };
  const children = new Map<string, Children>();
  const childrenOf = (monitor: string): Children => {
    let c = children.get(monitor);
    if (!c) children.set(monitor, (c = { phases: new Map(), up: up.labels(monitor) }));
    return c;
  };
  return {
    observe(monitor, outcome) {
      const c = childrenOf(monitor);
      for (const phase of PHASES) {
        const v = outcome.timings[phase];
        if (v === undefined) continue;
        // Created on first use: a phase a monitor never has (tls for http://) gets no series.
        let h = c.phases.get(phase);
        if (!h) c.phases.set(phase, (h = duration.labels(monitor, PHASE_LABEL[phase]!)));
        h.observe(v / 1000);
      }
      c.up.set(outcome.status === 'down' ? 0 : 1);
      totals[outcome.status].inc();
    },
    lag: (ms) => lag.observe(ms / 1000),
    dropped: (n) => dropped.inc(n),
    fenced: (n) => fenced.inc(n),
    forget(monitor) {
      children.delete(monitor);
      up.remove(monitor);
      for (const phase of PHASES) duration.remove(monitor, PHASE_LABEL[phase]!);
    },
  };
}
