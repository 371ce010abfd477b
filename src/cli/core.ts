import { openRuntime } from '../runtime/bootstrap.js';
import { buildCore, type Core } from '../runtime/core.js';
import { createLogger } from '../shared/logger.js';
import { loadConfigOption } from './config-path.js';

/**
 * Commands that act on incidents open the same core the server runs (its reactors enqueue the
 * notifications a running Medic then delivers), do one thing, and close it. They leave the flags as the
 * database holds them: only a starting Medic applies medic.yaml's flags.
 */
export async function withCore<T>(configFile: string | undefined, fn: (core: Core) => Promise<T>): Promise<T> {
  const loaded = loadConfigOption(configFile);
  const rt = await openRuntime(loaded, { logger: createLogger({ redactor: loaded.redactor, level: process.env.MEDIC_LOG_LEVEL ?? 'warn' }) });
  try {
    return await fn(await buildCore(rt, { syncFlags: false }));
  } finally {
    await rt.store.close();
  }
}

export function cliActor(): string {
  return `cli:${process.env.USER ?? process.env.LOGNAME ?? 'unknown'}`;
}
