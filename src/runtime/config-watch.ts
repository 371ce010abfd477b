import { existsSync, watch, type FSWatcher } from 'node:fs';
import path from 'node:path';
import { loadConfigFile, type LoadedConfig } from '../config/index.js';
import type { Logger } from '../shared/logger.js';

/**
 * Reloads medic.yaml on SIGHUP and when the file changes. A config that does not load (a typo being
 * typed) is logged with its error and ignored: the running config stays until a good one arrives.
 * Editors replace files by rename, so the folder is watched, not the file, and bursts are debounced.
 */
export function watchConfig(file: string, logger: Logger, apply: (loaded: LoadedConfig) => Promise<void>, debounceMs = 300): () => void {
  let timer: NodeJS.Timeout | undefined;
  let chain = Promise.resolve();
  const reload = (why: string) => {
    clearTimeout(timer);
    timer = setTimeout(() => {
      chain = chain.then(async () => {
        let loaded: LoadedConfig;
        try {
          loaded = loadConfigFile(file);
        } catch (err) {
          logger.error({ file, error: (err as Error).message }, 'config reload skipped: the file does not load');
          return;
        }
        try {
          await apply(loaded);
          logger.info({ file, why }, 'config reloaded');
        } catch (err) {
          logger.error({ err, file }, 'config reload failed');
        }
      });
    }, debounceMs);
  };
  const onHup = () => reload('SIGHUP');
  process.on('SIGHUP', onHup);
  let watcher: FSWatcher | undefined;
  try {
    const base = path.basename(file);
    if (existsSync(file)) watcher = watch(path.dirname(file), (_event, name) => {
      if (name === base) reload('file changed');
    });
    watcher?.on('error', () => {});
  } catch (err) {
    logger.warn({ err, file }, 'watching the config file failed; reload with SIGHUP');
  }
  return () => {
    clearTimeout(timer);
    process.off('SIGHUP', onHup);
    watcher?.close();
  };
}

/** Watches the config a process loaded, when it came from a file (not inline text) and watching is not turned off. */
export function watchLoadedConfig(loaded: LoadedConfig, logger: Logger, enabled: boolean | undefined, apply: (loaded: LoadedConfig) => Promise<void>): () => void {
  return enabled === false || loaded.file === '<inline>' ? () => {} : watchConfig(loaded.file, logger, apply);
}
