import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadConfigFile, type LoadedConfig } from '../config/index.js';

export const DEFAULT_CONFIG = 'medic.yaml';

/** The package's own folder, for files shipped with it (examples/). */
export const PACKAGE_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

export function loadConfigOption(file: string | undefined): LoadedConfig {
  return loadConfigFile(path.resolve(file ?? DEFAULT_CONFIG));
}
