import path from 'node:path';
import { loadConfigFile, type LoadedConfig } from '../config/index.js';

export const DEFAULT_CONFIG = 'medic.yaml';

export function loadConfigOption(file: string | undefined): LoadedConfig {
  return loadConfigFile(path.resolve(file ?? DEFAULT_CONFIG));
}
