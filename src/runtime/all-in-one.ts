import type { FastifyInstance } from 'fastify';
import { buildApp } from '../server/app.js';
import type { Runtime } from './bootstrap.js';

/**
 * `medic start`: the API and UI, plus (as later phases land) the scheduler and the job runner, in one
 * process. Shutdown stops accepting requests, lets in-flight work finish, then closes the database.
 */
export interface RunningServer {
  app: FastifyInstance;
  url: string;
  stop(): Promise<void>;
}

export async function startAllInOne(rt: Runtime, options: { port?: number; host?: string } = {}): Promise<RunningServer> {
  const app = await buildApp(rt);
  const { server } = rt.loaded.config;
  const url = await app.listen({ port: options.port ?? server.port, host: options.host ?? server.host });
  rt.logger.info({ url }, 'medic is listening');
  let stopping: Promise<void> | undefined;
  const stop = () =>
    (stopping ??= (async () => {
      await app.close();
      await rt.store.close();
    })());
  return { app, url, stop };
}

/** Stops on SIGINT/SIGTERM within `graceMs`, then exits; a second signal exits at once. */
export function stopOnSignals(rt: Runtime, stop: () => Promise<void>, graceMs = 10_000): void {
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
