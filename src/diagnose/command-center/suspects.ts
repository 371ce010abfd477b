import type { MedicConfig } from '../../config/index.js';
import type { Db } from '../../store/index.js';
import { suspectServices } from '../deployments/correlate.js';
import { listDeployments, type Deployment } from '../deployments/deployments.js';

/**
 * Which deployment came just before each active incident: the newest deployment of the incident's
 * service or of a service it depends on, made within `incidents.correlation_window` before the
 * incident started — the same rule correlation applies when an incident opens, read live, so a
 * deployment reported late still shows. One query for all the incidents on screen.
 */

export interface IncidentStart {
  id: number;
  service: string | null;
  startedAt: number | null;
  detectedAt: number | null;
}

/** Bounds the one query: far more deployments than any screen of incidents can be preceded by. */
const MAX_CANDIDATES = 2000;

export async function deploymentsBefore(db: Db, config: Pick<MedicConfig, 'services' | 'incidents'>, incidents: readonly IncidentStart[]): Promise<Map<number, Deployment>> {
  const window = config.incidents.correlation_window;
  const wanted = incidents
    .map((i) => ({ id: i.id, start: i.startedAt ?? i.detectedAt, services: i.service ? suspectServices(config, i.service) : [] }))
    .filter((i): i is { id: number; start: number; services: string[] } => i.start !== null && i.services.length > 0);
  if (wanted.length === 0) return new Map();
  const starts = wanted.map((i) => i.start);
  const candidates = await listDeployments(db, {
    services: [...new Set(wanted.flatMap((i) => i.services))],
    since: Math.min(...starts) - window,
    until: Math.max(...starts),
    limit: MAX_CANDIDATES,
  });
  return pickSuspects(wanted, candidates, window);
}

/** For each incident, the newest candidate (newest first already) of its services inside its window. */
export function pickSuspects(incidents: readonly { id: number; start: number; services: string[] }[], newestFirst: readonly Deployment[], window: number): Map<number, Deployment> {
  const out = new Map<number, Deployment>();
  for (const i of incidents) {
    const d = newestFirst.find((c) => c.deployedAt <= i.start && c.deployedAt >= i.start - window && i.services.includes(c.service));
    if (d) out.set(i.id, d);
  }
  return out;
}
