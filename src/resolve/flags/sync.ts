import { createHash } from 'node:crypto';
import type { FlagConfig } from '../../config/schema/flags.js';
import type { IncidentContext } from '../../incidents/index.js';
import type { Db } from '../../store/index.js';
import { changeFlag, FLAGS_LOCK } from './change.js';
import { serializeFlagDefinition } from './definition.js';
import type { FlagChange } from './records.js';

/**
 * medic.yaml → database, at start. Config defines a flag's initial state; the database holds the live
 * one. Each flag's config entry is hashed:
 *
 *   - a new entry is added with the config's state;
 *   - an entry whose hash is unchanged keeps the database's state: a kill switch pulled through the API
 *     or by a remediation stays pulled across restarts;
 *   - an entry whose hash changed takes the config's state again (editing a flag in medic.yaml is a
 *     deliberate decision about it, made later than the switch);
 *   - a flag no longer in the config is removed.
 *
 * Each of these is a change through changeFlag (recorded, actor `config`).
 */

export function flagConfigHash(config: FlagConfig): string {
  return createHash('sha256').update(serializeFlagDefinition(config)).digest('hex');
}

export async function syncConfigFlags(db: Db, ctx: IncidentContext, flags: readonly FlagConfig[]): Promise<FlagChange[]> {
  // Taken before reading, so two processes starting together apply the config once, not twice.
  await ctx.store.dialect.lockKey(db, FLAGS_LOCK);
  const stored = new Map((await db.selectFrom('flags').select(['key', 'config_hash']).execute()).map((r) => [r.key, r.config_hash]));
  const changes: FlagChange[] = [];
  const base = { actor: 'config', source: 'config' as const };
  for (const config of flags) {
    const hash = flagConfigHash(config);
    if (stored.get(config.key) === hash) continue;
    const reason = stored.has(config.key) ? 'changed in medic.yaml' : 'added in medic.yaml';
    const { change } = await changeFlag(db, ctx, { ...base, key: config.key, definition: { config, hash }, reason });
    if (change) changes.push(change);
  }
  const keys = new Set(flags.map((f) => f.key));
  for (const key of stored.keys()) {
    if (keys.has(key)) continue;
    const { change } = await changeFlag(db, ctx, { ...base, key, definition: null, reason: 'removed from medic.yaml' });
    if (change) changes.push(change);
  }
  return changes;
}
