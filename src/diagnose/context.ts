import type { MedicConfig, Redactor } from '../config/index.js';
import type { IncidentContext } from '../incidents/index.js';
import type { Logger } from '../shared/logger.js';
import { queryTarget } from '../shared/prometheus.js';
import type { JobQueue } from '../store/index.js';
import type { PrometheusTarget, StepTargets } from './steps/index.js';

/** What the diagnose phase needs from the process around it (built once in runtime/core.ts). */
export interface DiagnoseContext {
  incidents: IncidentContext;
  queue: JobQueue;
  config: Pick<MedicConfig, 'runbooks' | 'services' | 'flags' | 'incidents' | 'prometheus' | 'loki' | 'kubernetes'>;
  /** The config file's folder: runbook commands run there. */
  baseDir: string;
  redactor: Redactor;
  logger: Logger;
}

/** `prometheus:` of medic.yaml as the step runners want it. */
export function prometheusTarget(config: Pick<MedicConfig, 'prometheus'>): PrometheusTarget | undefined {
  return config.prometheus ? queryTarget(config.prometheus) : undefined;
}

/** Everything steps read (Prometheus, Loki, Kubernetes), from medic.yaml. */
export function stepTargets(config: Pick<MedicConfig, 'prometheus' | 'loki' | 'kubernetes'>): StepTargets {
  return { prometheus: prometheusTarget(config), loki: config.loki ? { url: config.loki.url, headers: config.loki.headers } : undefined, kubernetes: config.kubernetes };
}
