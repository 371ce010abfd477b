import type { Runtime } from './bootstrap.js';
import { buildCore, type Core } from './core.js';
import { watchLoadedConfig } from './config-watch.js';
import { JobRunner } from './job-runner.js';
import { startMetricsListener, type MetricsListener } from './metrics-listener.js';
import { startMonitoring, type Monitoring } from './monitoring.js';
import { reloadTokens } from './reload-tokens.js';

/**
 * `medic worker` (= `medic start --role worker`): the work behind the API — the job runner (runbooks,
 * remediation, verification, notifications) and the monitor scheduler — and no HTTP server, except the
 * optional health and metrics listener. Any number of workers share one PostgreSQL database: jobs and
 * due monitors are claimed with leases (FOR UPDATE SKIP LOCKED), so each runs once, and a dead worker's
 * leases expire and move on to the others.
 */

export interface BackgroundWorkOptions {
  /** Lease owner: the process's id. */
  owner: string;
  /** Where this process's checks run from. */
  location: string;
  /** Jobs in flight at once, and checks in flight at once. */
  concurrency: number;
  /** Reload tokens, monitors and alert rules when medic.yaml changes or on SIGHUP (default: when loaded from a file). */
  watchConfig?: boolean;
}

export interface BackgroundWork {
  runner: JobRunner;
  monitoring: Monitoring;
  stop(): Promise<void>;
}

/** What a worker does, shared by the worker role and the all-in-one: the job runner and the scheduler. */
export async function startBackgroundWork(core: Core, options: BackgroundWorkOptions): Promise<BackgroundWork> {
  const { rt } = core;
  const runner = new JobRunner({
    store: rt.store,
    queue: core.queue,
    handlers: core.handlers,
    clock: rt.clock,
    logger: rt.logger,
    leaseMs: rt.loaded.config.workers.lease,
    concurrency: options.concurrency,
    owner: options.owner,
  });
  runner.start();
  let monitoring: Monitoring;
  try {
    // The scheduler: monitor runs claimed with leases from this location's schedule, and alert rules.
    monitoring = await startMonitoring(core, { owner: options.owner, location: options.location, concurrency: options.concurrency });
  } catch (err) {
    await runner.stop();
    throw err;
  }
  // A reload revokes the tokens taken out of the file first, then applies monitors and alert rules.
  const unwatch = watchLoadedConfig(rt.loaded, rt.logger, options.watchConfig, async (loaded) => {
    await reloadTokens(rt, loaded);
    await monitoring.reload(loaded);
  });
  return {
    runner,
    monitoring,
    async stop() {
      unwatch();
      // The scheduler first: its last results are written before the runner and the database stop.
      await monitoring.stop();
      await runner.stop();
    },
  };
}

export interface WorkerOptions {
  /** Jobs (and checks) in flight at once (default workers.concurrency). */
  concurrency?: number;
  /** Serve GET /healthz and GET /metrics on this port (off when undefined; 0 picks a free port). */
  metricsPort?: number;
  /** Address of that listener (default server.host). */
  metricsHost?: string;
  /** Reload monitors on medic.yaml changes and SIGHUP (default: when loaded from a file). */
  watchConfig?: boolean;
}

export interface RunningWorker {
  core: Core;
  work: BackgroundWork;
  /** The health and metrics listener's URL, when there is one. */
  metricsUrl?: string;
  stop(): Promise<void>;
}

export async function startWorker(rt: Runtime, options: WorkerOptions = {}): Promise<RunningWorker> {
  const core = await buildCore(rt);
  const concurrency = options.concurrency ?? rt.loaded.config.workers.concurrency;
  // Remediations switch flags off; this process evaluates what the others changed too.
  core.flags.start();
  let work: BackgroundWork;
  try {
    work = await startBackgroundWork(core, { owner: rt.identity.id, location: rt.identity.location, concurrency, ...(options.watchConfig !== undefined ? { watchConfig: options.watchConfig } : {}) });
  } catch (err) {
    await core.flags.stop();
    throw err;
  }
  let listener: MetricsListener | undefined;
  try {
    if (options.metricsPort !== undefined) listener = await startMetricsListener(rt, { port: options.metricsPort, host: options.metricsHost });
  } catch (err) {
    await work.stop();
    await core.flags.stop();
    throw err;
  }
  // The runner's and the watchers' timers do not hold the process open (they must not keep a test or a
  // one-off command alive), and a worker has no server socket: while the database is unreachable (no
  // pool connection either), Node would find nothing left to wait for and exit. This keeps it running
  // until stop().
  const alive = setInterval(() => {}, 60_000);
  rt.logger.info({ concurrency, database: rt.store.dialect.description }, 'medic worker is running');
  let stopping: Promise<void> | undefined;
  const stop = () =>
    (stopping ??= (async () => {
      clearInterval(alive);
      await work.stop();
      await core.flags.stop();
      await listener?.close();
      await rt.store.close();
    })());
  return { core, work, ...(listener ? { metricsUrl: listener.url } : {}), stop };
}
