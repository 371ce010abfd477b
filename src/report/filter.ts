import type { SelectQueryBuilder } from 'kysely';
import type { Database, Db } from '../store/index.js';

/**
 * Which incidents a report counts. Times are UTC milliseconds on `detected_at`, `since` inclusive and
 * `until` exclusive, so consecutive ranges never count an incident twice. Only incidents with phase
 * durations count, i.e. those that recovered (`mttr_ms` is set once an incident is resolved).
 */
export interface IncidentFilter {
  since?: number;
  until?: number;
  service?: string;
  severity?: string;
}

export function recoveredIncidents(db: Db, filter: IncidentFilter): SelectQueryBuilder<Database, 'incidents', object> {
  let q = db.selectFrom('incidents').where('mttr_ms', 'is not', null).where('detected_at', 'is not', null);
  if (filter.since !== undefined) q = q.where('detected_at', '>=', filter.since);
  if (filter.until !== undefined) q = q.where('detected_at', '<', filter.until);
  if (filter.service !== undefined) q = q.where('service', '=', filter.service);
  if (filter.severity !== undefined) q = q.where('severity', '=', filter.severity);
  return q;
}
