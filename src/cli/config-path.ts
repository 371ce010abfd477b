import { existsSync } from 'node:fs';
import path from 'node:path';
import { loadConfigFile, type LoadedConfig } from '../config/index.js';
import { DEMO_DATA_DIR, demoConfigFile } from '../runtime/demo/paths.js';
import { UsageError, type Output } from './output.js';

export const DEFAULT_CONFIG = 'medic.yaml';

/**
 * What a command does with the config: `read` commands only read (the database, or a monitor's target)
 * and may read the demo's data; `act` commands record something, or check the config itself, and need
 * to be told which Medic; `serve` is `medic start`, which runs the demo when there is no config at all.
 */
export type ConfigUse = 'read' | 'act' | 'serve';

/** What `-c` says in a command's help. */
export function configHelp(use: ConfigUse): string {
  if (use === 'serve') return `config file (default ./${DEFAULT_CONFIG}; without one, the demo runs)`;
  return `config file (default ./${DEFAULT_CONFIG}${use === 'read' ? `, else the demo's ./${demoConfigFile(DEMO_DATA_DIR)}` : ''})`;
}

/** The config file a command names with -c, else ./medic.yaml when there is one. */
export function findConfigFile(file: string | undefined): string | undefined {
  return file ?? (existsSync(DEFAULT_CONFIG) ? DEFAULT_CONFIG : undefined);
}

/**
 * The config of a one-off command, chosen in one place for all of them: `-c FILE`, else ./medic.yaml,
 * else, for a command that only reads, the demo's (./data/demo-medic.yaml, written by `medic start` run
 * without a medic.yaml), which it says on stderr in one line. Without either, one line says what to do.
 */
export function loadCommandConfig(file: string | undefined, use: ConfigUse, io: Output): LoadedConfig {
  const found = findConfigFile(file);
  if (found !== undefined) return loadConfigFile(path.resolve(found));
  const demo = demoConfigFile(DEMO_DATA_DIR);
  const here = `no ${DEFAULT_CONFIG} in ${process.cwd()}`;
  if (!existsSync(demo)) throw new UsageError(`${here} and no demo data (./${demo}): give -c <config file>, or run "medic start" in this folder to start the demo`);
  if (use !== 'read') throw new UsageError(`${here}: give -c <config file> (for the demo's data: -c ${demo})`);
  io.err(`${here}: reading the demo's data (${demo})`);
  return loadConfigFile(path.resolve(demo));
}
