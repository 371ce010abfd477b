import type { IncidentContext, IncidentReactor } from '../incidents/index.js';
import { syncConfigSilences } from '../incidents/index.js';
import { notificationHandler } from '../notify/deliver.js';
import { NOTIFY_JOB, notificationReactor } from '../notify/reactor.js';
import { registerMttrGauge } from '../report/gauge.js';
import { JobQueue, type JobHandler } from '../store/index.js';
import type { Runtime } from './bootstrap.js';

/**
 * The wiring of Medic's core for one process: the incident context with every phase's reactor, and the
 * one table that maps each job kind to its handler in a phase folder. Adding a phase's reaction is one
 * line in each list here.
 */
export interface Core {
  rt: Runtime;
  queue: JobQueue;
  incidents: IncidentContext;
  handlers: Record<string, JobHandler>;
}

export async function buildCore(rt: Runtime): Promise<Core> {
  const { config, redactor } = rt.loaded;
  const queue = new JobQueue(rt.store.dialect);
  const now = () => rt.clock.now();

  const reactors: IncidentReactor[] = [notificationReactor(config, queue, now)];
  const incidents: IncidentContext = { store: rt.store, clock: rt.clock, redactor, config, reactors };

  const handlers: Record<string, JobHandler> = {
    [NOTIFY_JOB]: notificationHandler({ incidents, config, redactor, logger: rt.logger }),
  };

  registerMttrGauge(rt.metrics, rt.store, rt.clock, { onError: (err) => rt.logger.warn({ err }, 'reading MTTR for /metrics failed') });
  await syncConfigSilences(rt.store.db, incidents);
  return { rt, queue, incidents, handlers };
}
