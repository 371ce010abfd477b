import { dependencyGraph } from '../dependencies.js';
import { openForService } from '../table.js';
import { getIncident } from '../timeline.js';
import type { Rung } from './rung.js';

/**
 * 4. A service the alert's service depends on has an active incident: the alert joins it (or the
 * incident it is itself a symptom of) as a symptom. Dependencies are tried in their configured order;
 * of a dependency's active incidents, the oldest.
 */
export const dependency: Rung = async (batch, alert) => {
  if (!alert.service) return undefined;
  const { db, ctx } = batch;
  for (const dependsOn of dependencyGraph(ctx.config.services).dependenciesOf(alert.service)) {
    const [cause] = await openForService(db, dependsOn, { order: 'oldest' });
    if (!cause) continue;
    const root = cause.parentId !== null ? ((await getIncident(db, cause.parentId)) ?? cause) : cause;
    return batch.join(alert, batch.current(root), 'symptom', [
      { type: 'symptom_joined', actor: batch.actor, at: batch.now, payload: { service: alert.service, alert: alert.name, fingerprint: alert.fingerprint, depends_on: dependsOn } },
    ]);
  }
  return undefined;
};
