import type { Db } from '../../store/index.js';
import type { CommandCenterIncident } from './schema.js';

/**
 * Active incidents (every status but closed), most severe first and then the newest: what people are
 * working on. `status <> 'closed'` is the predicate of the partial index that keeps one open incident per
 * fingerprint, so the engines can read the active ones from it instead of every incident ever.
 */
export async function activeIncidents(db: Db, limit: number): Promise<{ total: number; items: Omit<CommandCenterIncident, 'deploymentBefore'>[] }> {
  const active = db.selectFrom('incidents').where('status', '<>', 'closed');
  const [rows, count] = await Promise.all([
    active
      .select(['id', 'title', 'service', 'severity', 'status', 'started_at', 'detected_at', 'acknowledged_at'])
      .orderBy('severity')
      .orderBy('id', 'desc')
      .limit(limit)
      .execute(),
    active.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow(),
  ]);
  return {
    total: Number(count.n),
    items: rows.map((r) => ({
      id: Number(r.id),
      title: r.title,
      service: r.service,
      severity: r.severity,
      status: r.status,
      startedAt: r.started_at,
      detectedAt: r.detected_at,
      acknowledgedAt: r.acknowledged_at,
    })),
  };
}
