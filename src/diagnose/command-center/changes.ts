import { fromJson, type Db } from '../../store/index.js';
import { listDeployments, type Deployment } from '../deployments/deployments.js';
import type { CommandCenterFlagChange } from './schema.js';

/**
 * The latest changes to production: deployments (rollbacks included) and flag changes, newest first.
 * The most recent change is the likeliest cause of whatever just broke. A flag coming into existence
 * (a new medic.yaml entry) changed no behaviour anyone relied on, so it is left out, as correlation does.
 */

export function recentDeployments(db: Db, limit: number): Promise<Deployment[]> {
  return listDeployments(db, { limit });
}

interface LiveState {
  enabled?: unknown;
  rollout?: unknown;
}

export async function recentFlagChanges(db: Db, limit: number): Promise<CommandCenterFlagChange[]> {
  const rows = await db.selectFrom('flag_changes').selectAll().where('before', '<>', 'null').orderBy('at', 'desc').orderBy('id', 'desc').limit(limit).execute();
  return rows.map((r) => {
    const after = fromJson<LiveState | null>(r.after, null);
    return {
      id: Number(r.id),
      key: r.flag_key,
      at: r.at,
      actor: r.actor,
      reason: r.reason,
      incidentId: r.incident_id === null ? null : Number(r.incident_id),
      enabled: typeof after?.enabled === 'boolean' ? after.enabled : null,
      rollout: typeof after?.rollout === 'number' ? after.rollout : null,
    };
  });
}
