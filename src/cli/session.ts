import { userInfo } from 'node:os';
import { openRuntime } from '../runtime/bootstrap.js';
import { buildCore, type Core } from '../runtime/core.js';
import { createLogger } from '../shared/logger.js';
import { loadCommandConfig, type ConfigUse } from './config-path.js';
import { reportConfigError, type Output } from './output.js';

/**
 * What a command that acts on incidents opens: the config, the database and the same core the server
 * runs (so its events enqueue the same notifications and jobs for the workers). Logs go to stderr at
 * `warn` unless MEDIC_LOG_LEVEL says otherwise, keeping stdout for the command's own output.
 */
export interface Session {
  core: Core;
  close(): Promise<void>;
}

/** Which config a command opens (see loadCommandConfig): its -c value, what it does, where to say so. */
export interface CommandConfig {
  file: string | undefined;
  use: ConfigUse;
  io: Output;
}

export async function openSession(config: CommandConfig): Promise<Session | { exit: number }> {
  const { io } = config;
  let loaded;
  try {
    loaded = loadCommandConfig(config.file, config.use, io);
  } catch (err) {
    return { exit: reportConfigError(err, io) };
  }
  const logger = createLogger({ level: process.env.MEDIC_LOG_LEVEL ?? 'warn', redactor: loaded.redactor, destination: process.stderr, pretty: false });
  const rt = await openRuntime(loaded, { role: 'cli', logger });
  try {
    // A one-off command applies nothing of its config to the database (openRuntime's applyConfig is
    // left off): it acts on what the database holds.
    const core = await buildCore(rt);
    return { core, close: () => rt.store.close() };
  } catch (err) {
    await rt.store.close();
    throw err;
  }
}

/** Who a command's changes are recorded as: `cli:<user>`. */
export function cliActor(): string {
  try {
    return `cli:${userInfo().username}`;
  } catch {
    return 'cli';
  }
}

/**
 * Opens the core, runs one thing, closes it. Config errors surface as ConfigError for the caller to
 * report; use openSession to have them printed.
 */
export async function withCore<T>(config: CommandConfig, fn: (core: Core) => Promise<T>): Promise<T> {
  const loaded = loadCommandConfig(config.file, config.use, config.io);
  const logger = createLogger({ level: process.env.MEDIC_LOG_LEVEL ?? 'warn', redactor: loaded.redactor, destination: process.stderr, pretty: false });
  const rt = await openRuntime(loaded, { role: 'cli', logger });
  try {
    return await fn(await buildCore(rt));
  } finally {
    await rt.store.close();
  }
}
