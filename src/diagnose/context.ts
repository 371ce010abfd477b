import type { MedicConfig, Redactor } from '../config/index.js';
import type { IncidentContext } from '../incidents/index.js';
import type { Logger } from '../shared/logger.js';
import { queryTarget } from '../shared/prometheus.js';
import type { JobQueue } from '../store/index.js';
import type { PrometheusTarget } from './steps/index.js';

/** What the diagnose phase needs from the process around it (built once in runtime/core.ts). */
export interface DiagnoseContext {
  incidents: IncidentContext;
  queue: JobQueue;
  config: Pick<MedicConfig, 'runbooks' | 'services' | 'flags' | 'incidents' | 'prometheus'>;
  /** The config file's folder: runbook commands run there. */
  baseDir: string;
  redactor: Redactor;
  logger: Logger;
}

/** `prometheus:` of medic.yaml as the step runners want it. */
export function prometheusTarget(config: Pick<MedicConfig, 'prometheus'>): PrometheusTarget | undefined {
  return config.prometheus ? queryTarget(config.prometheus) : undefined;
}
