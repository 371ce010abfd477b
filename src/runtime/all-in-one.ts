import type { FastifyInstance } from 'fastify';
import { buildApp } from '../server/app.js';
import type { Runtime } from './bootstrap.js';
import { buildCore, type Core } from './core.js';
import { watchConfig } from './config-watch.js';
import { JobRunner } from './job-runner.js';
import { startMonitoring, type Monitoring } from './monitoring.js';

/**
 * `medic start`: the API and UI, the job runner and the scheduler, in one process.
 * Shutdown stops accepting requests, lets in-flight work finish, then closes the database.
 */
export interface RunningServer {
  app: FastifyInstance;
  core: Core;
  monitoring: Monitoring;
  url: string;
  stop(): Promise<void>;
}

export function appContext(core: Core) {
  return { ...core.rt, incidents: core.incidents, queue: core.queue, changes: core.changes, flags: core.flags, diagnose: core.diagnose, resolve: core.resolve, verify: core.verify };
}

export async function startAllInOne(rt: Runtime, options: { port?: number; host?: string; watchConfig?: boolean } = {}): Promise<RunningServer> {
  const core = await buildCore(rt);
  const app = await buildApp(appContext(core));
  const { server, workers } = rt.loaded.config;
  const runner = new JobRunner({ store: rt.store, queue: core.queue, handlers: core.handlers, clock: rt.clock, logger: rt.logger, leaseMs: workers.lease, concurrency: workers.concurrency });
  runner.start();
  const monitoring = await startMonitoring(core);
  const unwatch = options.watchConfig === false || rt.loaded.file === '<inline>' ? () => {} : watchConfig(rt.loaded.file, rt.logger, (loaded) => monitoring.reload(loaded));
  // Changes made by other processes (the CLI, other API servers on the same PostgreSQL) reach this one.
  core.flags.start();
  const url = await app.listen({ port: options.port ?? server.port, host: options.host ?? server.host });
  rt.logger.info({ url }, 'medic is listening');
  let stopping: Promise<void> | undefined;
  const stop = () =>
    (stopping ??= (async () => {
      core.changes.stop();
      unwatch();
      await app.close();
      await monitoring.stop();
      await core.flags.stop();
      await runner.stop();
      await rt.store.close();
    })());
  return { app, core, monitoring, url, stop };
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
      () => process.exit(0),
      (err) => {
        rt.logger.error({ err }, 'shutdown failed');
        process.exit(1);
      },
    );
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
}
