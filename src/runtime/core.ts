import { correlationReactor, runbookHandler, runbookReactor, RUNBOOK_JOB, type DiagnoseContext } from '../diagnose/index.js';
import type { IncidentContext, IncidentReactor } from '../incidents/index.js';
import { syncConfigSilences } from '../incidents/index.js';
import { notificationHandler } from '../notify/deliver.js';
import { NOTIFY_JOB, notificationReactor } from '../notify/reactor.js';
import { DatabaseFlagSwitch, REMEDIATE_JOB, remediationHandler, remediationReactor, type ResolveContext } from '../resolve/index.js';
import { JobQueue, type JobHandler } from '../store/index.js';
import { verificationHandler, verificationReactor, VERIFY_JOB, type VerifyContext } from '../verify/index.js';
import type { Runtime } from './bootstrap.js';
import { createChangeFeed, type ChangeFeed } from './change-feed.js';

/**
 * The wiring of Medic's core for one process: the incident context with every phase's reactor, and the
 * one table that maps each job kind to its handler in a phase folder. Adding a phase's reaction is one
 * line in each list here.
 */
export interface Core {
  rt: Runtime;
  queue: JobQueue;
  incidents: IncidentContext;
  diagnose: DiagnoseContext;
  resolve: ResolveContext;
  verify: VerifyContext;
  handlers: Record<string, JobHandler>;
  changes: ChangeFeed;
}

export async function buildCore(rt: Runtime): Promise<Core> {
  const { config, redactor, baseDir } = rt.loaded;
  const queue = new JobQueue(rt.store.dialect);
  const now = () => rt.clock.now();

  // Reactors run in this order on every batch of events; follow-up events they answer with (a matched
  // rule's cause, correlated deployments) go through all of them again.
  const reactors: IncidentReactor[] = [
    notificationReactor(config, queue, now),
    runbookReactor(config, queue, now),
    correlationReactor(config),
    remediationReactor({ config, queue, now, redactor, baseDir }),
    verificationReactor(queue, now),
  ];
  const incidents: IncidentContext = { store: rt.store, clock: rt.clock, redactor, config, reactors };
  const logger = rt.logger;
  const diagnose: DiagnoseContext = { incidents, queue, config, baseDir, redactor, logger };
  const resolve: ResolveContext = { incidents, queue, config, baseDir, redactor, logger, flags: new DatabaseFlagSwitch(incidents, config.flags) };
  const verify: VerifyContext = { incidents, queue, config, logger };

  const handlers: Record<string, JobHandler> = {
    [NOTIFY_JOB]: notificationHandler({ incidents, config, redactor, logger }),
    [RUNBOOK_JOB]: runbookHandler(diagnose),
    [REMEDIATE_JOB]: remediationHandler(resolve),
    [VERIFY_JOB]: verificationHandler(verify),
  };

  await syncConfigSilences(rt.store.db, incidents);
  return { rt, queue, incidents, diagnose, resolve, verify, handlers, changes: createChangeFeed(rt.store, rt.logger) };
}
