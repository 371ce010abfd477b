import type { Runtime } from './bootstrap.js';
import { startHttp, type HttpOptions, type RunningServer } from './api-role.js';
import { buildCore } from './core.js';
import { startBackgroundWork } from './worker-role.js';

export { appContext, type RunningServer } from './api-role.js';

/**
 * `medic start` (role `all`): the API role and the worker role in one process — the API and UI, the job
 * runner and the scheduler. Shutdown stops accepting requests, lets in-flight work finish, then closes
 * the database.
 */
export async function startAllInOne(rt: Runtime, options: HttpOptions & { concurrency?: number; watchConfig?: boolean } = {}): Promise<RunningServer> {
  const core = await buildCore(rt);
  // The job runner and the scheduler (with medic.yaml reloads): see startBackgroundWork.
  const work = await startBackgroundWork(core, {
    owner: rt.identity.id,
    location: rt.identity.location,
    concurrency: options.concurrency ?? rt.loaded.config.workers.concurrency,
    ...(options.watchConfig !== undefined ? { watchConfig: options.watchConfig } : {}),
  });
  // Changes made by other processes (the CLI, other API servers on the same PostgreSQL) reach this one.
  core.flags.start();
  let http;
  try {
    http = await startHttp(core, options);
  } catch (err) {
    await work.stop();
    await core.flags.stop();
    throw err;
  }
  let stopping: Promise<void> | undefined;
  const stop = () =>
    (stopping ??= (async () => {
      await http.close();
      await core.flags.stop();
      await work.stop();
      await rt.store.close();
    })());
  return { app: http.app, core, monitoring: work.monitoring, url: http.url, stop };
}

/** Stops on SIGINT/SIGTERM within `graceMs`, then exits; a second signal exits at once. */
export function stopOnSignals(rt: Pick<Runtime, 'logger'>, stop: () => Promise<void>, graceMs = 10_000): void {
  let signalled = false;
  const onSignal = (signal: NodeJS.Signals) => {
    if (signalled) process.exit(130);
    signalled = true;
    rt.logger.info({ signal }, 'shutting down');
    const force = setTimeout(() => {
      rt.logger.error('shutdown took too long; exiting');
      process.exit(1);
    }, graceMs);
    force.unref();
    stop().then(
      () => {
        rt.logger.info('stopped');
        process.exit(0);
      },
      (err) => {
        rt.logger.error({ err }, 'shutdown failed');
        process.exit(1);
      },
    );
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
}
