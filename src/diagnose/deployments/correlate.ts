import type { MedicConfig } from '../../config/index.js';
import { SYSTEM, type IncidentReactor, type NewEvent } from '../../incidents/index.js';
import { fromJson, type Db } from '../../store/index.js';
import { listDeployments } from './deployments.js';

/**
 * Suspects: when an incident opens, the deployments of its service and of the services it lists in
 * `depends_on`, and the changes of flags that belong to those services, made within
 * `incidents.correlation_window` before the incident's `started_at`. Each becomes an event on the
 * timeline (`deployment_correlated`, or `flag_changed` with `correlated: true`), newest first: the most
 * recent change is the likeliest cause. Written in the transaction that opened the incident.
 *
 * A change recorded up to REPORT_LAG_MS after `started_at` still counts: a deploy is usually reported
 * when its rollout finishes, after its first pods already served, and a check request sent just before
 * the change was recorded can come back failing because of it.
 */
const REPORT_LAG_MS = 15_000;

type CorrelationConfig = Pick<MedicConfig, 'services' | 'flags' | 'incidents'>;

interface Suspect {
  at: number;
  id: number;
  event: NewEvent;
}

export function suspectServices(config: Pick<MedicConfig, 'services'>, service: string): string[] {
  const own = config.services.find((s) => s.name === service);
  return [service, ...(own?.depends_on ?? []).filter((d) => d !== service)];
}

export async function correlatedChanges(db: Db, config: CorrelationConfig, service: string, startedAt: number): Promise<NewEvent[]> {
  const services = suspectServices(config, service);
  const since = startedAt - config.incidents.correlation_window;
  const until = startedAt + REPORT_LAG_MS;
  const minutesBefore = (at: number) => Math.round(((startedAt - at) / 60_000) * 10) / 10;
  const suspects: Suspect[] = [];

  for (const d of await listDeployments(db, { services, since, until })) {
    suspects.push({
      at: d.deployedAt,
      id: d.id,
      event: {
        type: 'deployment_correlated',
        actor: SYSTEM,
        payload: {
          deployment_id: d.id,
          service: d.service,
          version: d.version,
          ...(d.commit ? { commit: d.commit } : {}),
          ...(d.url ? { url: d.url } : {}),
          deployed_at: d.deployedAt,
          deployed_by: d.actor,
          minutes_before_start: minutesBefore(d.deployedAt),
          relation: d.service === service ? 'same service' : 'dependency',
          ...(d.rollback ? { rollback: true } : {}),
        },
      },
    });
  }

  const flagService = new Map(config.flags.filter((f) => f.service && services.includes(f.service)).map((f) => [f.key, f.service!]));
  if (flagService.size > 0) {
    const changes = await db
      .selectFrom('flag_changes')
      .selectAll()
      .where('flag_key', 'in', [...flagService.keys()])
      .where('at', '>=', since)
      .where('at', '<=', until)
      // A flag coming into existence (first start, a new config entry) changed no behaviour anyone relied on.
      .where('before', '<>', 'null')
      .orderBy('at', 'desc')
      .limit(100)
      .execute();
    for (const c of changes) {
      suspects.push({
        at: c.at,
        id: Number(c.id),
        event: {
          type: 'flag_changed',
          actor: SYSTEM,
          // Not a fix: a change that came before the incident is a suspect.
          payload: {
            correlated: true,
            change_id: Number(c.id),
            flag: c.flag_key,
            service: flagService.get(c.flag_key),
            changed_at: c.at,
            changed_by: c.actor,
            reason: c.reason,
            before: fromJson(c.before, {}),
            after: fromJson(c.after, {}),
            minutes_before_start: minutesBefore(c.at),
          },
        },
      });
    }
  }
  return suspects.sort((a, b) => b.at - a.at || b.id - a.id).map((s) => s.event);
}

export function correlationReactor(config: CorrelationConfig): IncidentReactor {
  return {
    name: 'correlation',
    async onEvents(db, incident, events) {
      if (!incident.service || !events.some((e) => e.type === 'opened')) return;
      const startedAt = incident.startedAt ?? incident.detectedAt;
      if (startedAt === null) return;
      return correlatedChanges(db, config, incident.service, startedAt);
    },
  };
}
