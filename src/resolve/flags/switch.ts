import type { FlagConfig } from '../../config/index.js';
import { ACTIVE_STATUSES, appendEvents, toIncident, type IncidentContext } from '../../incidents/index.js';
import { fromJson, toJson, type Db } from '../../store/index.js';
import type { FlagSwitch } from '../actions/index.js';

/**
 * The kill switch remediation pulls (`disable_flag` / `enable_flag`): a deliberately small FlagSwitch
 * over the `flags` table until the feature-flag service (OFREP, API, config sync) lands and replaces or
 * extends it. In one transaction it
 *
 *   1. updates the flag's row (enabled, version + 1, updated_at, updated_by_source = 'remediation'),
 *      creating it from medic.yaml's `flags:` entry if nothing has stored it yet;
 *   2. records the change in `flag_changes` (actor, reason, incident, before and after);
 *   3. appends `flag_changed` with `fix: true` to the open incidents of the flag's service: switching a
 *      flag off is the fix (it sets resolved_at), whichever incident asked for it.
 */
export class DatabaseFlagSwitch implements FlagSwitch {
  constructor(
    private readonly incidents: IncidentContext,
    private readonly flags: readonly FlagConfig[],
  ) {}

  async setEnabled(key: string, enabled: boolean, change: { actor: string; reason: string; incidentId: number }): Promise<{ changed: boolean }> {
    const { store, clock } = this.incidents;
    const config = this.flags.find((f) => f.key === key);
    return store.transaction(async (trx) => {
      const now = clock.now();
      let row = await store.dialect.lockRows(trx.selectFrom('flags').selectAll().where('key', '=', key)).executeTakeFirst();
      if (!row) {
        if (!config) throw new Error(`no flag ${JSON.stringify(key)}: define it under flags: in medic.yaml`);
        row = await trx
          .insertInto('flags')
          .values({ key, definition: toJson(config), enabled: config.enabled ? 1 : 0, rollout: config.rollout, config_hash: null, updated_by_source: 'config', version: 1, updated_at: now })
          .returningAll()
          .executeTakeFirstOrThrow();
      }
      if ((row.enabled === 1) === enabled) return { changed: false };

      const updated = await trx
        .updateTable('flags')
        .set((eb) => ({ enabled: enabled ? 1 : 0, version: eb('version', '+', 1), updated_at: now, updated_by_source: 'remediation' }))
        .where('key', '=', key)
        .returningAll()
        .executeTakeFirstOrThrow();
      const before = { enabled: row.enabled === 1, version: row.version, rollout: row.rollout };
      const after = { enabled, version: updated.version, rollout: updated.rollout };
      await trx
        .insertInto('flag_changes')
        .values({ flag_key: key, at: now, actor: change.actor, reason: change.reason, incident_id: change.incidentId, before: toJson(before), after: toJson(after) })
        .execute();

      const service = config?.service ?? fromJson<{ service?: string }>(row.definition, {}).service;
      if (service) await this.markFixed(trx, service, { flag: key, enabled, before, after, reason: change.reason, requested_by_incident: change.incidentId, fix: true }, change.actor);
      return { changed: true };
    });
  }

  private async markFixed(trx: Db, service: string, payload: Record<string, unknown>, actor: string): Promise<void> {
    const rows = await this.incidents.store.dialect
      .lockRows(trx.selectFrom('incidents').selectAll().where('service', '=', service).where('status', 'in', ACTIVE_STATUSES).orderBy('id'))
      .execute();
    for (const row of rows) await appendEvents(trx, this.incidents, toIncident(row), [{ type: 'flag_changed', actor, payload }]);
  }
}
