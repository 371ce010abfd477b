import type { FlagConfig } from '../../config/schema/flags.js';
import { appendEvents, getIncident, lockIncidents, openForService, type EventPayload, type IncidentContext } from '../../incidents/index.js';
import { fromJson, toJson, type Db, type Row } from '../../store/index.js';
import { serializeFlagDefinition } from './definition.js';
import { serviceOfDefinition, toFlagChange, toFlagRecord, type FlagChange, type FlagLiveState, type FlagRecord, type FlagSource } from './records.js';

/**
 * THE way a flag changes. The API, the CLI, remediation actions and the config sync at start all come
 * here, so every change is recorded the same way, in the caller's transaction:
 *
 *   1. the `flags` row takes the new state, its `version` one higher;
 *   2. a `flag_changes` row records who, why, for which incident, and the state before and after;
 *   3. each incident that is not closed of the flag's `service`, and the incident the change was made
 *      for, gets a `flag_changed` event. On the incident the change was made for, it carries `fix: true`:
 *      a kill switch pulled for an incident (by a remediation rule or by a responder naming it) is the
 *      fix, and sets that incident's resolved_at.
 *
 * Flag changes are serialized by one lock (an advisory lock on PostgreSQL, the writer lock on SQLite),
 * so `flag_changes.id` grows in commit order: a process that has seen change N has seen every change
 * before it, which is what lets other processes notice changes by polling max(id) (see watch.ts).
 */

export const FLAGS_LOCK = 'medic:flags';

export class FlagChangeError extends Error {
  constructor(
    readonly kind: 'not_found' | 'invalid',
    message: string,
  ) {
    super(message);
  }
}

export interface FlagChangeRequest {
  key: string;
  /** The live state to set; what is left out keeps its value. */
  enabled?: boolean;
  /** Share of targeting keys, 0 … 1. */
  rollout?: number;
  /**
   * Config sync only: the medic.yaml entry to store (with its hash), whose `enabled` and `rollout` also
   * become the live state unless given above; `null` removes the flag.
   */
  definition?: { config: FlagConfig; hash: string } | null;
  actor: string;
  reason: string;
  source: FlagSource;
  /** The incident the change is made for (a remediation's, or the one a responder names). */
  incidentId?: number;
  /** Channels to tell, carried on the timeline event. */
  notify?: readonly string[];
}

export interface FlagChangeResult {
  changed: boolean;
  /** The flag after the change (undefined once removed). */
  flag: FlagRecord | undefined;
  /** The recorded change, when there was one. */
  change: FlagChange | undefined;
}

interface NextRow {
  definition: string;
  config_hash: string | null;
  enabled: boolean;
  rollout: number;
}

/** Applies a change in the caller's transaction (see the file comment). Throws FlagChangeError on bad input. */
export async function changeFlag(db: Db, ctx: IncidentContext, req: FlagChangeRequest): Promise<FlagChangeResult> {
  const reason = req.reason.trim();
  if (!reason) throw new FlagChangeError('invalid', 'a reason is required');
  if (req.rollout !== undefined && !(Number.isFinite(req.rollout) && req.rollout >= 0 && req.rollout <= 1)) {
    throw new FlagChangeError('invalid', `rollout must be between 0 and 1 (0 % … 100 %), got ${req.rollout}`);
  }

  await ctx.store.dialect.lockKey(db, FLAGS_LOCK);
  const row = await db.selectFrom('flags').selectAll().where('key', '=', req.key).executeTakeFirst();
  if (!row && req.definition === undefined) throw new FlagChangeError('not_found', `no flag ${JSON.stringify(req.key)}`);
  if (!row && req.definition === null) return { changed: false, flag: undefined, change: undefined };
  if (req.incidentId !== undefined) {
    if (!(await getIncident(db, req.incidentId))) throw new FlagChangeError('not_found', `no incident ${req.incidentId}`);
  }

  const next = nextRow(row, req);
  if (row && next && sameState(row, next)) {
    // Only the hash moved (a row written before hashes were kept): remember it, but nothing changed.
    if (row.config_hash !== next.config_hash) await db.updateTable('flags').set({ config_hash: next.config_hash }).where('key', '=', req.key).execute();
    return { changed: false, flag: toFlagRecord(row), change: undefined };
  }

  const now = ctx.clock.now();
  let written: Row<'flags'> | undefined;
  if (!next) {
    await db.deleteFrom('flags').where('key', '=', req.key).execute();
  } else {
    const values = {
      definition: next.definition,
      config_hash: next.config_hash,
      enabled: next.enabled ? 1 : 0,
      rollout: next.rollout,
      updated_by_source: req.source,
      version: (row?.version ?? 0) + 1,
      updated_at: now,
    };
    written = row
      ? await db.updateTable('flags').set(values).where('key', '=', req.key).returningAll().executeTakeFirstOrThrow()
      : await db.insertInto('flags').values({ key: req.key, ...values }).returningAll().executeTakeFirstOrThrow();
  }

  const definitionChanged = !row || !written || row.definition !== written.definition;
  const before = row ? liveState(row, definitionChanged) : null;
  const after = written ? liveState(written, definitionChanged) : null;
  const change = toFlagChange(
    await db
      .insertInto('flag_changes')
      .values({ flag_key: req.key, at: now, actor: req.actor, reason, incident_id: req.incidentId ?? null, before: toJson(before), after: toJson(after) })
      .returningAll()
      .executeTakeFirstOrThrow(),
  );

  const service = serviceOfDefinition(written?.definition ?? row!.definition);
  await recordOnIncidents(db, ctx, { req, reason, service, change });
  return { changed: true, flag: written ? toFlagRecord(written) : undefined, change };
}

function nextRow(row: Row<'flags'> | undefined, req: FlagChangeRequest): NextRow | null {
  if (req.definition === null) return null;
  if (req.definition) {
    const { config, hash } = req.definition;
    return { definition: serializeFlagDefinition(config), config_hash: hash, enabled: req.enabled ?? config.enabled, rollout: req.rollout ?? config.rollout };
  }
  const current = row!;
  return { definition: current.definition, config_hash: current.config_hash, enabled: req.enabled ?? current.enabled === 1, rollout: req.rollout ?? current.rollout };
}

function sameState(row: Row<'flags'>, next: NextRow): boolean {
  return row.definition === next.definition && (row.enabled === 1) === next.enabled && row.rollout === next.rollout;
}

function liveState(row: Row<'flags'>, withDefinition: boolean): FlagLiveState {
  const state: FlagLiveState = { enabled: row.enabled === 1, rollout: row.rollout, version: row.version, source: row.updated_by_source };
  // A definition that is not JSON (edited by hand) is kept as its text, so that replacing it still works.
  if (withDefinition) state.definition = fromJson<unknown>(row.definition, row.definition);
  return state;
}

const brief = (s: FlagLiveState | null) => (s ? { enabled: s.enabled, rollout: s.rollout, version: s.version } : null);

/** The `flag_changed` events: on the open incidents of the flag's service, and on the incident it was made for. */
async function recordOnIncidents(db: Db, ctx: IncidentContext, c: { req: FlagChangeRequest; reason: string; service: string | undefined; change: FlagChange }): Promise<void> {
  const { req, change } = c;
  const ids = new Set<number>();
  if (c.service) {
    for (const incident of await openForService(db, c.service, { order: 'oldest' })) ids.add(incident.id);
  }
  if (req.incidentId !== undefined) ids.add(req.incidentId);
  if (ids.size === 0) return;
  // Locked in id order, so another writer that also takes several of them in order queues behind this
  // one instead of deadlocking with it.
  for (const incident of await lockIncidents(db, ctx, [...ids])) {
    const payload: EventPayload<'flag_changed'> = {
      flag: req.key,
      change_id: change.id,
      ...(c.service ? { service: c.service } : {}),
      source: req.source,
      reason: c.reason,
      before: brief(change.before),
      after: brief(change.after),
    };
    if (req.incidentId !== undefined) payload.incident_id = req.incidentId;
    if (incident.id === req.incidentId) payload.fix = true;
    if (req.notify && req.notify.length > 0) payload.notify = [...req.notify];
    await appendEvents(db, ctx, incident, [{ type: 'flag_changed', actor: req.actor, payload }]);
  }
}
