import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadConfigFile, type LoadedConfig } from '../config/index.js';

export const DEFAULT_CONFIG = 'medic.yaml';

/** The package's own folder, for files shipped with it (examples/). */
export const PACKAGE_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

export function loadConfigOption(file: string | undefined): LoadedConfig {
  return loadConfigFile(path.resolve(file ?? DEFAULT_CONFIG));
}

/** The config `medic start` runs: the one given, ./medic.yaml, or the bundled example. */
export function resolveStartConfig(file: string | undefined): string {
  if (file) return path.resolve(file);
  if (existsSync(DEFAULT_CONFIG)) return path.resolve(DEFAULT_CONFIG);
  return path.join(PACKAGE_ROOT, 'examples', 'medic.yaml');
}
