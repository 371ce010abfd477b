import { correlationReactor, runbookHandler, runbookReactor, RUNBOOK_JOB, type DiagnoseContext } from '../diagnose/index.js';
import type { IncidentContext, IncidentReactor } from '../incidents/index.js';
import { notificationHandler } from '../notify/deliver.js';
import { NOTIFY_JOB, notificationReactor } from '../notify/reactor.js';
import { ESCALATE_JOB, escalationHandler, escalationReactor, PAGE_JOB, pageHandler, type OncallContext } from '../notify/oncall/index.js';
import { FlagService } from '../resolve/flags/index.js';
import { REMEDIATE_JOB, remediationHandler, remediationReactor, type ResolveContext } from '../resolve/index.js';
import { registerMttrGauge } from '../report/gauge.js';
import { JobQueue, type JobHandler } from '../store/index.js';
import { verificationHandler, verificationReactor, VERIFY_JOB, type VerifyContext } from '../verify/index.js';
import type { Runtime } from './bootstrap.js';
import { createChangeFeed, type ChangeFeed } from './change-feed.js';
import { applyConfigState } from './config-state.js';

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
  /** Feature flags: evaluation (OFREP), the API and CLI, and the FlagSwitch remediation actions use. */
  flags: FlagService;
  handlers: Record<string, JobHandler>;
  changes: ChangeFeed;
}

/**
 * The core over an open runtime. A process that serves Medic (rt.appliesConfig) first makes the
 * database hold medic.yaml's tokens, silences and flags; any other (a one-off command) loads what the
 * database holds and writes nothing.
 */
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
    escalationReactor(config, queue, now),
  ];
  const incidents: IncidentContext = { store: rt.store, clock: rt.clock, redactor, config, reactors };
  const logger = rt.logger;
  const diagnose: DiagnoseContext = { incidents, queue, config, baseDir, redactor, logger };
  const flags = new FlagService({ incidents, logger });
  if (rt.appliesConfig) await applyConfigState(incidents, flags, rt.loaded);
  else await flags.refresh();
  const resolve: ResolveContext = { incidents, queue, config, baseDir, redactor, logger, flags };
  const verify: VerifyContext = { incidents, queue, config, logger };
  const oncall: OncallContext = { incidents, queue, config, logger };

  const handlers: Record<string, JobHandler> = {
    [NOTIFY_JOB]: notificationHandler({ incidents, config, redactor, logger }),
    [RUNBOOK_JOB]: runbookHandler(diagnose),
    [REMEDIATE_JOB]: remediationHandler(resolve),
    [VERIFY_JOB]: verificationHandler(verify),
    [ESCALATE_JOB]: escalationHandler(oncall),
    [PAGE_JOB]: pageHandler({ ...oncall, redactor }),
  };

  registerMttrGauge(rt.metrics, rt.store, rt.clock, { onError: (err) => rt.logger.warn({ err }, 'reading MTTR for /metrics failed') });
  return { rt, queue, incidents, flags, diagnose, resolve, verify, handlers, changes: createChangeFeed(rt.store, rt.logger) };
}
