import { createHash, randomBytes } from 'node:crypto';
import type { MonitorConfig, Redactor } from '../../config/index.js';
import { inChunks, toJson, type Db, type StoreDialect } from '../../store/index.js';

/**
 * Brings the `monitors` and `monitor_schedule` tables in line with medic.yaml's `monitors:`, by name.
 * A monitor whose config did not change keeps its schedule, streak and incident; a changed one keeps its
 * streak but runs again soon with the new config; a removed one is disabled (its results stay for the
 * reports). Runs at start and on every reload, on any process that loads the config.
 */

/** Locations of a monitor's schedule rows: its `locations:`, or `*` (any worker) when it lists none. */
export const ANY_LOCATION = '*';
export const locationsOf = (m: Pick<MonitorConfig, 'locations'>): string[] => (m.locations?.length ? [...new Set(m.locations)] : [ANY_LOCATION]);

export function configHash(m: MonitorConfig): string {
  return createHash('sha256').update(JSON.stringify(m)).digest('hex').slice(0, 16);
}

/** Where in its interval a monitor first runs: a stable spread, so 10,000 monitors never fire at once. */
export function phaseOffset(name: string, interval: number): number {
  return createHash('sha1').update(name).digest().readUInt32BE(0) % Math.max(1, interval);
}

export interface SyncSummary {
  added: string[];
  changed: string[];
  unchanged: number;
  disabled: string[];
}

export async function syncMonitors(db: Db, dialect: Pick<StoreDialect, 'maxParameters'>, monitors: readonly MonitorConfig[], redactor: Redactor, now: number): Promise<SyncSummary> {
  const summary: SyncSummary = { added: [], changed: [], unchanged: 0, disabled: [] };
  const stored = await db.selectFrom('monitors').select(['id', 'name', 'config_hash', 'enabled', 'heartbeat_token']).execute();
  const byName = new Map(stored.map((r) => [r.name, r]));
  const schedule = await db.selectFrom('monitor_schedule').select(['id', 'monitor_id', 'location']).execute();
  const scheduleOf = new Map<number, { id: number; location: string }[]>();
  for (const s of schedule) {
    const list = scheduleOf.get(Number(s.monitor_id)) ?? [];
    list.push({ id: Number(s.id), location: s.location });
    scheduleOf.set(Number(s.monitor_id), list);
  }

  for (const m of monitors) {
    const hash = configHash(m);
    const enabled = m.enabled ? 1 : 0;
    // The stored copy is for people (the API, the UI): secrets from ${ENV} never reach the database.
    const config = toJson(redactor.redactDeep(m));
    const token = m.type === 'heartbeat' ? (m.token ?? byName.get(m.name)?.heartbeat_token ?? randomBytes(18).toString('base64url')) : null;
    const row = byName.get(m.name);
    let id: number;
    if (!row) {
      const inserted = await db
        .insertInto('monitors')
        .values({ name: m.name, service: m.service ?? null, type: m.type, config_hash: hash, config, enabled, heartbeat_token: token, created_at: now, updated_at: now })
        .returning('id')
        .executeTakeFirstOrThrow();
      id = Number(inserted.id);
      summary.added.push(m.name);
    } else {
      id = Number(row.id);
      const changed = row.config_hash !== hash || Number(row.enabled) !== enabled;
      if (changed || row.heartbeat_token !== token) {
        await db.updateTable('monitors').set({ service: m.service ?? null, type: m.type, config_hash: hash, config, enabled, heartbeat_token: token, updated_at: now }).where('id', '=', id).execute();
      }
      if (changed) {
        summary.changed.push(m.name);
        // Run the new version soon rather than at the old schedule's next slot.
        await db.updateTable('monitor_schedule').set({ next_run_at: now + phaseOffset(m.name, Math.min(m.interval, 5_000)) }).where('monitor_id', '=', id).execute();
      } else summary.unchanged++;
    }
    byName.delete(m.name);

    const wanted = locationsOf(m);
    const have = scheduleOf.get(id) ?? [];
    const gone = have.filter((s) => !wanted.includes(s.location)).map((s) => s.id);
    if (gone.length > 0) await db.deleteFrom('monitor_schedule').where('id', 'in', gone).execute();
    const missing = wanted.filter((l) => !have.some((s) => s.location === l));
    if (missing.length > 0) {
      await db
        .insertInto('monitor_schedule')
        .values(missing.map((location) => ({ monitor_id: id, location, next_run_at: now + phaseOffset(`${m.name}@${location}`, m.interval) })))
        .execute();
    }
  }

  const removed = [...byName.values()].filter((r) => Number(r.enabled) === 1);
  if (removed.length > 0) {
    await inChunks(dialect, removed.map((r) => Number(r.id)), (ids) => db.updateTable('monitors').set({ enabled: 0, updated_at: now }).where('id', 'in', ids).execute());
    summary.disabled.push(...removed.map((r) => r.name));
  }
  return summary;
}
