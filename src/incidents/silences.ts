import { fromJson, toJson, type Db } from '../store/index.js';
import type { IncidentContext } from './context.js';
import { matchLabels } from './matchers.js';

/** Silences (maintenance windows): label matchers with a start and an end. A matching alert opens nothing. */

export interface Silence {
  id: number;
  matchers: Record<string, string>;
  startsAt: number;
  endsAt: number;
  comment: string;
  createdBy: string;
  source: 'config' | 'api';
  createdAt: number;
}

type SilenceRow = { id: number; matchers: string; starts_at: number; ends_at: number; comment: string; created_by: string; source: string; created_at: number };

const toSilence = (r: SilenceRow): Silence => ({
  id: Number(r.id),
  matchers: fromJson(r.matchers, {}),
  startsAt: r.starts_at,
  endsAt: r.ends_at,
  comment: r.comment,
  createdBy: r.created_by,
  source: r.source as Silence['source'],
  createdAt: r.created_at,
});

/** Silences active at `activeAt`; or all not yet over at `now` (or every one, with includeExpired). */
export async function listSilences(db: Db, options: { activeAt?: number; includeExpired?: boolean; now?: number } = {}): Promise<Silence[]> {
  let q = db.selectFrom('silences').selectAll().orderBy('id');
  if (options.activeAt !== undefined) q = q.where('starts_at', '<=', options.activeAt).where('ends_at', '>', options.activeAt);
  else if (!options.includeExpired) q = q.where('ends_at', '>', options.now ?? Date.now());
  return (await q.execute()).map(toSilence);
}

export async function createSilence(
  db: Db,
  input: { matchers: Record<string, string>; startsAt: number; endsAt: number; comment: string; createdBy: string; source: Silence['source'] },
  now: number,
): Promise<Silence> {
  const row = await db
    .insertInto('silences')
    .values({ matchers: toJson(input.matchers), starts_at: input.startsAt, ends_at: input.endsAt, comment: input.comment, created_by: input.createdBy, source: input.source, created_at: now })
    .returningAll()
    .executeTakeFirstOrThrow();
  return toSilence(row);
}

export async function deleteSilence(db: Db, id: number): Promise<boolean> {
  const r = await db.deleteFrom('silences').where('id', '=', id).executeTakeFirst();
  return Number(r.numDeletedRows) === 1;
}

/** The first active silence whose matchers all hold for these labels. */
export async function findSilence(db: Db, labels: Record<string, string>, at: number): Promise<Silence | undefined> {
  for (const s of await listSilences(db, { activeAt: at })) if (matchLabels(s.matchers, labels)) return s;
  return undefined;
}

/** Makes the config's silences the set of config-sourced ones (API silences are left alone). */
export async function syncConfigSilences(db: Db, ctx: Pick<IncidentContext, 'config' | 'clock'>): Promise<void> {
  await db.deleteFrom('silences').where('source', '=', 'config').execute();
  for (const s of ctx.config.silences) {
    await createSilence(db, { matchers: s.matchers, startsAt: s.starts_at, endsAt: s.ends_at, comment: s.comment, createdBy: s.created_by, source: 'config' }, ctx.clock.now());
  }
}
