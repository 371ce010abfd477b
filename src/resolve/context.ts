import type { MedicConfig, Redactor } from '../config/index.js';
import type { IncidentContext } from '../incidents/index.js';
import type { Logger } from '../shared/logger.js';
import type { JobQueue } from '../store/index.js';
import type { FlagSwitch } from './actions/index.js';

/** What the resolve phase needs from the process around it (built once in runtime/core.ts). */
export interface ResolveContext {
  incidents: IncidentContext;
  queue: JobQueue;
  config: Pick<MedicConfig, 'remediation' | 'services' | 'kubernetes' | 'flags'>;
  /** The config file's folder: scripts and kubeconfig paths resolve against it. */
  baseDir: string;
  redactor: Redactor;
  logger: Logger;
  flags: FlagSwitch;
}
