import { Counter, Histogram, type Registry } from 'prom-client';
import { LabelledGauge, registerLabelledGauge } from '../../shared/labelled-gauge.js';
import type { CheckOutcome, Timings } from '../checks/index.js';

/**
 * The scheduler's own metrics. Label values are monitor names (bounded by the config), never URLs or
 * errors, so the series count stays that of the monitors.
 *
 * Series budget: a monitor costs two series (`medic_check_up`, `medic_check_last_duration_seconds`);
 * the phase histogram has no monitor label. A histogram per monitor and phase was ~48 series a monitor
 * (360,000 at 10,000 monitors): the registry held them all in memory and a scrape formatted them in one
 * synchronous pass that stopped every check for seconds. Per-monitor latency over time is in the
 * database (the monitors API's p50/p95/p99); Prometheus gets the fleet's distribution by phase and each
 * monitor's last run.
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
const NAMES = ['medic_check_duration_seconds', 'medic_checks_total', 'medic_scheduler_lag_seconds', 'medic_check_results_dropped_total', 'medic_check_results_fenced_total'];

export function schedulerMetrics(registry: Registry): SchedulerMetrics {
  // One scheduler per process; a second one (a test's restart on the same registry) takes the names over.
  for (const name of NAMES) {
    if (registry.getSingleMetric(name)) registry.removeSingleMetric(name);
  }
  const duration = new Histogram({
    name: 'medic_check_duration_seconds',
    help: 'Duration of check runs of all monitors by phase (dns, connect, tls, first_byte, total).',
    labelNames: ['phase'],
    buckets: [0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers: [registry],
  });
  // Per-monitor series are written by Medic itself (see LabelledGauge): the bulk of a scrape.
  const last = registerLabelledGauge(registry, new LabelledGauge('medic_check_last_duration_seconds', 'Total duration of the latest run of the monitor.', 'monitor'));
  const up = registerLabelledGauge(registry, new LabelledGauge('medic_check_up', '1 when the latest run of the monitor passed (up or degraded), 0 when it failed.', 'monitor'));
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
  const phases = new Map(PHASES.map((p) => [p, duration.labels(PHASE_LABEL[p]!)]));
  return {
    observe(monitor, outcome) {
      for (const [phase, h] of phases) {
        const v = outcome.timings[phase];
        if (v !== undefined) h.observe(v / 1000);
      }
      last.set(monitor, outcome.timings.total_ms / 1000);
      up.set(monitor, outcome.status === 'down' ? 0 : 1);
      totals[outcome.status].inc();
    },
    lag: (ms) => lag.observe(ms / 1000),
    dropped: (n) => dropped.inc(n),
    fenced: (n) => fenced.inc(n),
    forget(monitor) {
      up.remove(monitor);
      last.remove(monitor);
    },
  };
}
