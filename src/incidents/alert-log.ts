import { inChunks, insertInChunks, type Db, type NewRow } from '../store/index.js';
import type { IncidentContext } from './context.js';

/**
 * What alert sources said: every delivery as a row of `alerts`, and the latest delivery of each
 * fingerprint in `alert_states` (what ingest reads to tell a new firing from a re-notification, and
 * whether an incident's alerts still fire).
 */

/** The latest delivery of a fingerprint. */
export interface AlertState {
  incidentId: number | null;
  status: string;
  startsAt: number;
}

export async function alertStates(db: Db, ctx: Pick<IncidentContext, 'store'>, fingerprints: readonly string[]): Promise<Map<string, AlertState>> {
  const rows = await inChunks(ctx.store.dialect, fingerprints, (chunk) =>
    db.selectFrom('alert_states').select(['fingerprint', 'incident_id', 'status', 'starts_at']).where('fingerprint', 'in', chunk).execute(),
  );
  return new Map(rows.map((r) => [r.fingerprint, { incidentId: r.incident_id === null ? null : Number(r.incident_id), status: r.status, startsAt: r.starts_at }]));
}

/** Records deliveries in as few statements as the engine allows; the last of each fingerprint becomes its state. */
export async function recordDeliveries(db: Db, ctx: Pick<IncidentContext, 'store'>, rows: readonly NewRow<'alerts'>[]): Promise<void> {
  if (rows.length === 0) return;
  const { dialect } = ctx.store;
  await insertInChunks(dialect, rows, (chunk) => db.insertInto('alerts').values(chunk).execute());
  const latest = new Map(rows.map((r) => [r.fingerprint, r]));
  const states = [...latest.values()].map((r) => ({ fingerprint: r.fingerprint, incident_id: r.incident_id ?? null, status: r.status, starts_at: r.starts_at, updated_at: r.received_at }));
  await insertInChunks(dialect, states, (chunk) =>
    db
      .insertInto('alert_states')
      .values(chunk)
      .onConflict((oc) =>
        oc.column('fingerprint').doUpdateSet((eb) => ({
          incident_id: eb.ref('excluded.incident_id'),
          status: eb.ref('excluded.status'),
          starts_at: eb.ref('excluded.starts_at'),
          updated_at: eb.ref('excluded.updated_at'),
        })),
      )
      .execute(),
  );
}

/** Fingerprints of the incident's alerts whose latest state is firing. */
export async function firingFingerprints(db: Db, incidentId: number): Promise<string[]> {
  const rows = await db.selectFrom('alert_states').select('fingerprint').where('incident_id', '=', incidentId).where('status', '=', 'firing').execute();
  return rows.map((r) => r.fingerprint);
}
