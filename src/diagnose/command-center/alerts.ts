import { sql } from 'kysely';
import type { Db } from '../../store/index.js';
import type { CommandCenterAlert } from './schema.js';

/**
 * Alerts firing now. Their state is kept by fingerprint (`alert_states`), read through the active
 * incidents they belong to (indexed by incident and status); the name, service and severity come from
 * the latest delivery of each (indexed by incident, fingerprint and id). Most severe first, then the
 * longest firing.
 */
export async function firingAlerts(db: Db, limit: number): Promise<{ total: number; items: CommandCenterAlert[] }> {
  const firing = db
    .selectFrom('alert_states as s')
    .where('s.status', '=', 'firing')
    .where('s.incident_id', 'in', (eb) => eb.selectFrom('incidents').select('id').where('status', '<>', 'closed'));
  const [rows, count] = await Promise.all([
    firing
      .innerJoin('alerts as a', (join) =>
        join.on('a.id', '=', (eb) =>
          eb
            .selectFrom('alerts as l')
            .select((e) => e.fn.max('l.id').as('id'))
            .whereRef('l.incident_id', '=', 's.incident_id')
            .whereRef('l.fingerprint', '=', 's.fingerprint'),
        ),
      )
      .select(['s.fingerprint', 's.incident_id', 's.starts_at', 'a.name', 'a.service', 'a.severity'])
      .orderBy('a.severity')
      .orderBy('s.starts_at')
      .orderBy('s.fingerprint')
      .limit(limit)
      .execute(),
    firing.select(sql<number>`count(*)`.as('n')).executeTakeFirstOrThrow(),
  ]);
  return {
    total: Number(count.n),
    items: rows.map((r) => ({
      fingerprint: r.fingerprint,
      name: r.name,
      service: r.service,
      severity: r.severity,
      startsAt: r.starts_at,
      incidentId: r.incident_id === null ? null : Number(r.incident_id),
    })),
  };
}
