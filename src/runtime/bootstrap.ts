import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import type { Registry } from 'prom-client';
import type { LoadedConfig } from '../config/index.js';
import { systemClock, type Clock } from '../shared/clock.js';
import { createLogger, type Logger } from '../shared/logger.js';
import { createMetricsRegistry } from '../shared/metrics.js';
import { Store } from '../store/index.js';

/** What every process role needs: the config, a logger that redacts its secrets, the store, metrics. */
export interface Runtime {
  loaded: LoadedConfig;
  logger: Logger;
  store: Store;
  clock: Clock;
  metrics: Registry;
  identity: Identity;
  /** Whether this process applies medic.yaml's state to the database (see RuntimeOptions.applyConfig). */
  appliesConfig: boolean;
}

/**
 * Who this process is among the others on the same database: its role (`all`, `api`, `worker`; the
 * demo is `demo`), the location its checks run from, and an id unique to this run of it, which is the
 * owner of every lease it takes. Every log line carries them.
 */
export interface Identity {
  role: string;
  location: string;
  id: string;
}

export interface RuntimeOptions {
  role?: string;
  /** Where this process runs checks from (default: workers.location of medic.yaml). */
  location?: string;
  /** This process's id (default: host:pid:random). */
  instanceId?: string;
  logger?: Logger;
  clock?: Clock;
  /**
   * Make the database hold what medic.yaml says: its auth tokens, silences and flags (buildCore does
   * it; monitors follow in the scheduler). Only the processes that serve Medic set it — `medic start`,
   * `medic worker`, the demo. Every other command reads the database as it is: one run with another
   * config file (an old copy, the demo's) must not replace the tokens, silences or flags a running
   * Medic serves. Off unless set, so a new command cannot apply its config by forgetting to say no.
   */
  applyConfig?: boolean;
}

/** host:pid:random — unique per process run, readable in a lease_owner column. */
export function instanceId(): string {
  return `${hostname()}:${process.pid}:${randomBytes(3).toString('hex')}`;
}

export async function openRuntime(loaded: LoadedConfig, options: RuntimeOptions = {}): Promise<Runtime> {
  const identity: Identity = { role: options.role ?? 'all', location: options.location ?? loaded.config.workers.location, id: options.instanceId ?? instanceId() };
  // An API process runs no checks and holds no leases: its id is an instance's, not a worker's.
  const bindings = identity.role === 'api' ? { role: identity.role, instance: identity.id } : { role: identity.role, location: identity.location, worker: identity.id };
  const logger = (options.logger ?? createLogger({ redactor: loaded.redactor })).child(bindings);
  const clock = options.clock ?? systemClock;
  const { storage } = loaded.config;
  const store = await Store.open({ url: storage.url, baseDir: process.cwd(), poolSize: storage.pool_size });
  logger.info({ database: store.dialect.description }, 'store ready');
  return { loaded, logger, store, clock, metrics: createMetricsRegistry({ role: identity.role }), identity, appliesConfig: options.applyConfig === true };
}
