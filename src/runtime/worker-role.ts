import type { Runtime } from './bootstrap.js';
import { buildCore, type Core } from './core.js';
import { JobRunner } from './job-runner.js';
import { startMetricsListener, type MetricsListener } from './metrics-listener.js';

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
  /** Jobs (and checks) in flight at once. */
  concurrency: number;
}

export interface BackgroundWork {
  runner: JobRunner;
  stop(): Promise<void>;
}

/** What a worker does, shared by the worker role and the all-in-one. */
export function startBackgroundWork(core: Core, options: BackgroundWorkOptions): BackgroundWork {
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

  // ── The monitor scheduler starts here ───────────────────────────────────────────────────────────────
  // (issue 9: monitors claimed with leases from monitor_schedule, for this location). One line, e.g.
  //   const scheduler = startScheduler(core, { owner: options.owner, location: options.location, concurrency: options.concurrency });
  // and `await scheduler.stop()` first in stop() below, so no check result is cut off by the runner's stop.
  // ────────────────────────────────────────────────────────────────────────────────────────────────────

  return {
    runner,
    async stop() {
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
  const work = startBackgroundWork(core, { owner: rt.identity.id, location: rt.identity.location, concurrency });
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
