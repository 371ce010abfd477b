import type { Registry } from 'prom-client';
import type { LoadedConfig } from '../config/index.js';
import type { DiagnoseContext } from '../diagnose/index.js';
import type { IncidentContext } from '../incidents/index.js';
import type { ResolveContext } from '../resolve/index.js';
import type { FlagService } from '../resolve/flags/index.js';
import type { Clock } from '../shared/clock.js';
import type { Logger } from '../shared/logger.js';
import type { JobQueue, Store } from '../store/index.js';
import type { VerifyContext } from '../verify/index.js';
import type { ChangeKind } from './responses/session.js';

/**
 * What the HTTP layer is given by the process that runs it. Routes are thin: they validate, call
 * the core through these, and shape the answer.
 */
export interface AppContext {
  loaded: LoadedConfig;
  store: Store;
  logger: Logger;
  clock: Clock;
  metrics: Registry;
  incidents: IncidentContext;
  queue: JobQueue;
  /** Tells dashboards (server-sent events) that data changed. */
  changes: { subscribe(listener: (kind: ChangeKind) => void): () => void };
  diagnose: DiagnoseContext;
  resolve: ResolveContext;
  verify: VerifyContext;
  flags: FlagService;
}
