import { sql } from 'kysely';
import { inChunks, type Db, type NewRow } from '../store/index.js';
import type { IncidentContext } from './context.js';
import { ACTIVE_STATUSES, toIncident, type Incident } from './model.js';

/**
 * The `incidents` table, statement by statement. Everything outside src/incidents/ that reads or writes
 * an incident row comes through a function here (or getIncident / lockIncident / appendEvents of
 * timeline.ts), so each question has one answer. Only the command center and the report keep their
 * bulk aggregate queries in their own query modules.
 *
 * "Active" is every status but closed. Lookups by fingerprint say it as `status <> 'closed'`, the
 * predicate of the partial unique index on fingerprint, so the planner can use that index; lookups by
 * service or group list ACTIVE_STATUSES, which the (service, status) and (group_key, status) indexes
 * serve.
 */

/** Which end of the list comes first, by id: the order incidents opened in. */
export type OpenOrder = 'oldest' | 'newest';

/** A service's active incidents, all of them, oldest or newest first. */
export async function openForService(db: Db, service: string, { order }: { order: OpenOrder }): Promise<Incident[]> {
  const rows = await openOfService(db, service)
    .orderBy('id', order === 'oldest' ? 'asc' : 'desc')
    .execute();
  return rows.map(toIncident);
}

/**
 * A service's active incidents read for update, oldest first. Locked in id order: every writer that
 * locks several incidents takes them in that order (see lockIncidents), so two of them queue instead of
 * deadlocking.
 */
export async function lockOpenForService(db: Db, ctx: Pick<IncidentContext, 'store'>, service: string): Promise<Incident[]> {
  const rows = await ctx.store.dialect.lockRows(openOfService(db, service).orderBy('id')).execute();
  return rows.map(toIncident);
}

const openOfService = (db: Db, service: string) => db.selectFrom('incidents').selectAll().where('service', '=', service).where('status', 'in', ACTIVE_STATUSES);

/** Incidents read for update, in id order (see lockOpenForService); ids with no incident are left out. */
export async function lockIncidents(db: Db, ctx: Pick<IncidentContext, 'store'>, ids: readonly number[]): Promise<Incident[]> {
  const { dialect } = ctx.store;
  const sorted = [...new Set(ids)].sort((a, b) => a - b);
  const rows = await inChunks(dialect, sorted, (chunk) => dialect.lockRows(db.selectFrom('incidents').selectAll().where('id', 'in', chunk).orderBy('id')).execute());
  return rows.map(toIncident);
}

/** The active incidents of these fingerprints (one at most each: the unique index sees to it), in no order. */
export async function activeByFingerprints(db: Db, ctx: Pick<IncidentContext, 'store'>, fingerprints: readonly string[]): Promise<Incident[]> {
  const rows = await inChunks(ctx.store.dialect, fingerprints, (chunk) => db.selectFrom('incidents').selectAll().where('fingerprint', 'in', chunk).where('status', '<>', 'closed').execute());
  return rows.map(toIncident);
}

export async function activeByFingerprint(db: Db, fingerprint: string): Promise<Incident | undefined> {
  const row = await db.selectFrom('incidents').selectAll().where('fingerprint', '=', fingerprint).where('status', '<>', 'closed').executeTakeFirst();
  return row ? toIncident(row) : undefined;
}

export async function activeById(db: Db, id: number): Promise<Incident | undefined> {
  const row = await db.selectFrom('incidents').selectAll().where('id', '=', id).where('status', '<>', 'closed').executeTakeFirst();
  return row ? toIncident(row) : undefined;
}

/**
 * For each of these groups, its oldest active incident detected at or after `detectedSince`, read in
 * one IN query per slice; groups with none are left out. Ingest asks once per delivery, not per alert.
 */
export async function activeInGroups(db: Db, ctx: Pick<IncidentContext, 'store'>, groupKeys: readonly string[], detectedSince: number): Promise<Map<string, Incident>> {
  const rows = await inChunks(ctx.store.dialect, groupKeys, (chunk) =>
    db.selectFrom('incidents').selectAll().where('group_key', 'in', chunk).where('status', 'in', ACTIVE_STATUSES).where('detected_at', '>=', detectedSince).orderBy('id').execute(),
  );
  const oldest = new Map<string, Incident>();
  for (const row of rows) {
    const held = row.group_key === null ? undefined : oldest.get(row.group_key);
    if (row.group_key !== null && (!held || Number(row.id) < held.id)) oldest.set(row.group_key, toIncident(row));
  }
  return oldest;
}

/** The incident of a fingerprint closed last, when it closed at or after `closedSince`. */
export async function lastClosed(db: Db, fingerprint: string, closedSince: number): Promise<Incident | undefined> {
  const row = await db
    .selectFrom('incidents')
    .selectAll()
    .where('fingerprint', '=', fingerprint)
    .where('status', '=', 'closed')
    .where('closed_at', '>=', closedSince)
    .orderBy('closed_at', 'desc')
    .executeTakeFirst();
  return row ? toIncident(row) : undefined;
}

/** A new incident row, or undefined when its fingerprint already has an active incident. */
export async function insertIncident(db: Db, values: NewRow<'incidents'>): Promise<Incident | undefined> {
  const row = await db
    .insertInto('incidents')
    .values(values)
    // The conflict target repeats the partial index's predicate literally: SQLite matches it by text.
    .onConflict((oc) => oc.column('fingerprint').where(sql<boolean>`status <> 'closed'`).doNothing())
    .returningAll()
    .executeTakeFirst();
  return row ? toIncident(row) : undefined;
}

export async function setSeverity(db: Db, id: number, severity: string): Promise<void> {
  await db.updateTable('incidents').set({ severity }).where('id', '=', id).execute();
}

/** Past incidents from another tool, in one statement; one already imported (same external_id) is skipped. The new ids by external_id. */
export async function insertImported(db: Db, rows: readonly NewRow<'incidents'>[]): Promise<Map<string, number>> {
  const inserted = await db
    .insertInto('incidents')
    .values(rows)
    .onConflict((oc) => oc.column('external_id').doNothing())
    .returning(['id', 'external_id'])
    .execute();
  return new Map(inserted.map((r) => [r.external_id!, Number(r.id)]));
}

/**
 * The bare facts of every incident not closed before `since`, oldest first — what a public view may
 * show (no title, labels or cause).
 */
export async function publicFactsSince(db: Db, since: number) {
  return db
    .selectFrom('incidents')
    .select(['id', 'service', 'severity', 'status', 'started_at', 'detected_at', 'resolved_at', 'closed_at'])
    .where((eb) => eb.or([eb('closed_at', 'is', null), eb('closed_at', '>=', since)]))
    .orderBy('id')
    .execute();
}
