import type { LoadedConfig } from '../config/index.js';
import { syncConfigSilences, type IncidentContext } from '../incidents/index.js';
import type { FlagService } from '../resolve/flags/index.js';
import { syncConfigTokens } from '../store/index.js';

/**
 * medic.yaml's state in the database: its auth tokens, silences and flags (monitors are synced by the
 * scheduler that runs them). The one place a config file writes them; buildCore calls it only in a
 * process that serves Medic (RuntimeOptions.applyConfig), which is also what a reload of that
 * process's config is to call. Tokens, silences and flags created through the API or the CLI are left
 * alone by each sync.
 */
export async function applyConfigState(incidents: IncidentContext, flags: FlagService, loaded: LoadedConfig): Promise<void> {
  const { config } = loaded;
  await syncConfigTokens(incidents.store.db, config.auth.tokens, incidents.clock.now());
  await syncConfigSilences(incidents.store.db, { config, clock: incidents.clock });
  await flags.syncConfig(config.flags);
}
