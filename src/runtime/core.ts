import type { IncidentContext, IncidentReactor } from '../incidents/index.js';
import { syncConfigSilences } from '../incidents/index.js';
import { notificationHandler } from '../notify/deliver.js';
import { NOTIFY_JOB, notificationReactor } from '../notify/reactor.js';
import { FlagService } from '../resolve/flags/index.js';
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
  /** Feature flags: evaluation (OFREP), the API and CLI, and the FlagSwitch remediation actions use. */
  flags: FlagService;
  handlers: Record<string, JobHandler>;
}

export interface CoreOptions {
  /**
   * Apply medic.yaml's flags to the database (default). Processes that serve Medic do; one-off CLI
   * commands do not, so that running one with an older or different config file never resets the
   * flags a running Medic serves: they load what the database holds.
   */
  syncFlags?: boolean;
}

export async function buildCore(rt: Runtime, options: CoreOptions = {}): Promise<Core> {
  const { config, redactor } = rt.loaded;
  const queue = new JobQueue(rt.store.dialect);
  const now = () => rt.clock.now();

  const reactors: IncidentReactor[] = [notificationReactor(config, queue, now)];
  const incidents: IncidentContext = { store: rt.store, clock: rt.clock, redactor, config, reactors };

  const handlers: Record<string, JobHandler> = {
    [NOTIFY_JOB]: notificationHandler({ incidents, config, redactor, logger: rt.logger }),
  };

  await syncConfigSilences(rt.store.db, incidents);
  const flags = new FlagService({ incidents, logger: rt.logger });
  if (options.syncFlags ?? true) await flags.syncConfig(config.flags);
  else await flags.refresh();
  return { rt, queue, incidents, flags, handlers };
}
