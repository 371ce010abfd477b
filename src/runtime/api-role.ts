import type { FastifyInstance } from 'fastify';
import { buildApp } from '../server/app.js';
import type { AppContext } from '../server/context.js';
import type { Runtime } from './bootstrap.js';
import { watchLoadedConfig } from './config-watch.js';
import { buildCore, type Core } from './core.js';
import type { Monitoring } from './monitoring.js';
import { reloadTokens } from './reload-tokens.js';

/**
 * `medic start --role api`: the REST API, the UI and the ingest endpoints. It writes events and enqueues
 * the jobs they cause (in the same transaction), and runs none of them: workers do. Any number of API
 * processes may serve one PostgreSQL database behind a load balancer.
 */

export interface HttpOptions {
  port?: number;
  host?: string;
}

export interface RunningHttp {
  app: FastifyInstance;
  url: string;
  /** Stops accepting requests and finishes the ones in flight. */
  close(): Promise<void>;
}

export interface RunningServer {
  app: FastifyInstance;
  core: Core;
  /** The scheduler and alert rules, in a process that runs them (the all-in-one; not the api role). */
  monitoring?: Monitoring;
  url: string;
  stop(): Promise<void>;
}

export function appContext(core: Core): AppContext {
  return { ...core.rt, incidents: core.incidents, queue: core.queue, changes: core.changes, flags: core.flags, diagnose: core.diagnose, resolve: core.resolve, verify: core.verify };
}

/** The HTTP side of a process (the api role, and the all-in-one): builds the app and listens. */
export async function startHttp(core: Core, options: HttpOptions = {}): Promise<RunningHttp> {
  const { rt } = core;
  const app = await buildApp(appContext(core));
  const { server } = rt.loaded.config;
  const url = await app.listen({ port: options.port ?? server.port, host: options.host ?? server.host });
  rt.logger.info({ url }, 'medic is listening');
  return {
    app,
    url,
    async close() {
      core.changes.stop();
      await app.close();
    },
  };
}

export async function startApi(rt: Runtime, options: HttpOptions & { watchConfig?: boolean } = {}): Promise<RunningServer> {
  const core = await buildCore(rt);
  // Flag changes made by other processes (workers' remediations, the CLI, other API servers) reach this one.
  core.flags.start();
  const http = await startHttp(core, options);
  // A reload of medic.yaml (file change, SIGHUP) applies its tokens here too; monitors are the workers'.
  const unwatch = watchLoadedConfig(rt.loaded, rt.logger, options.watchConfig, (loaded) => reloadTokens(rt, loaded));
  let stopping: Promise<void> | undefined;
  const stop = () =>
    (stopping ??= (async () => {
      unwatch();
      await http.close();
      await core.flags.stop();
      await rt.store.close();
    })());
  return { app: http.app, core, url: http.url, stop };
}
