import type { MedicConfig } from '../config/index.js';
import type { IncidentContext } from '../incidents/index.js';
import type { Logger } from '../shared/logger.js';
import type { JobQueue } from '../store/index.js';

/** What the verify phase needs from the process around it (built once in runtime/core.ts). */
export interface VerifyContext {
  incidents: IncidentContext;
  queue: JobQueue;
  config: Pick<MedicConfig, 'verification' | 'services' | 'monitors' | 'prometheus'>;
  logger: Logger;
}
