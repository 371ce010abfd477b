import type { Registry } from 'prom-client';
import type { LoadedConfig } from '../config/index.js';
import { systemClock, type Clock } from '../shared/clock.js';
import { createLogger, type Logger } from '../shared/logger.js';
import { createMetricsRegistry } from '../shared/metrics.js';
import { Store, syncConfigTokens } from '../store/index.js';

/** What every process role needs: the config, a logger that redacts its secrets, the store, metrics. */
export interface Runtime {
  loaded: LoadedConfig;
  logger: Logger;
  store: Store;
  clock: Clock;
  metrics: Registry;
}

export interface RuntimeOptions {
  role?: string;
  logger?: Logger;
  clock?: Clock;
}

export async function openRuntime(loaded: LoadedConfig, options: RuntimeOptions = {}): Promise<Runtime> {
  const logger = options.logger ?? createLogger({ redactor: loaded.redactor });
  const clock = options.clock ?? systemClock;
  const { storage } = loaded.config;
  const store = await Store.open({ url: storage.url, baseDir: process.cwd(), poolSize: storage.pool_size });
  try {
    await syncConfigTokens(store.db, loaded.config.auth.tokens, clock.now());
  } catch (err) {
    await store.close();
    throw err;
  }
  logger.info({ database: store.dialect.description }, 'store ready');
  return { loaded, logger, store, clock, metrics: createMetricsRegistry({ role: options.role }) };
}
