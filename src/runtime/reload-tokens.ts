import type { LoadedConfig } from '../config/index.js';
import { syncConfigTokens } from '../store/index.js';
import type { Runtime } from './bootstrap.js';

/**
 * The part of a medic.yaml reload that every serving process applies (the api role, workers, the
 * all-in-one): the new config's `${ENV}` secrets join the redactor, and its `auth.tokens` become the
 * config tokens in the database, so a token taken out of the file is revoked now, not at the next
 * restart. Every process on the database then refuses it once its auth cache entry expires (CACHE_MS in
 * server/auth.ts), and open event streams of it end within a second (server/stream-guard.ts).
 */
export async function reloadTokens(rt: Runtime, loaded: LoadedConfig): Promise<void> {
  rt.loaded.redactor.addAll(loaded.redactor);
  const sync = await rt.store.transaction((trx) => syncConfigTokens(trx, loaded.config.auth.tokens, rt.clock.now()));
  if (sync.added.length + sync.changed.length + sync.revoked.length > 0) rt.logger.info(sync, 'config tokens synced');
}
