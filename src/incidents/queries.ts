import { fromJson, type Db } from '../store/index.js';
import type { IncidentContext } from './context.js';
import { affectedTree, dependencyGraph, type AffectedTree } from './dependencies.js';
import { describeEvent } from './describe.js';
import type { IncidentEvent } from './events.js';
import { ACTIVE_STATUSES, toIncident, type Incident } from './model.js';
import { findSimilar, type SimilarIncident } from './similar.js';
import { getIncident, getTimeline } from './timeline.js';

/** Read side of incidents: lists for the API and CLI, and one incident with everything about it. */

export interface IncidentFilter {
  status?: 'active' | 'closed' | Incident['status'];
  service?: string;
  /** Detected at or after this time (ms). */
  since?: number;
  limit?: number;
  offset?: number;
}

export async function listIncidents(db: Db, f: IncidentFilter = {}): Promise<{ incidents: Incident[]; total: number }> {
  let q = db.selectFrom('incidents');
  if (f.status === 'active') q = q.where('status', 'in', ACTIVE_STATUSES);
  else if (f.status) q = q.where('status', '=', f.status);
  if (f.service) q = q.where('service', '=', f.service);
  if (f.since !== undefined) q = q.where('detected_at', '>=', f.since);
  const [rows, count] = await Promise.all([
    q.selectAll().orderBy('id', 'desc').limit(f.limit ?? 50).offset(f.offset ?? 0).execute(),
    q.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow(),
  ]);
  return { incidents: rows.map(toIncident), total: Number(count.n) };
}

export interface AlertSummary {
  id: number;
  name: string;
  fingerprint: string;
  service: string | null;
  severity: string;
  status: string;
  source: string;
  startsAt: number;
  receivedAt: number;
  generatorUrl: string | null;
  labels: Record<string, string>;
}

/** A timeline entry with its line of words (describe.ts), as the CLI, the API and the web UI show it. */
export type DescribedEvent = IncidentEvent & { text: string };

export interface IncidentDetails {
  incident: Incident;
  timeline: DescribedEvent[];
  /** The latest state of each distinct alert (by fingerprint) attached to the incident. */
  alerts: AlertSummary[];
  /** What the incident affects, along `depends_on`. */
  affected: AffectedTree | null;
  /** Last time this happened: earlier incidents like it (see similar.ts). */
  similar: SimilarIncident[];
}

export async function incidentDetails(db: Db, ctx: Pick<IncidentContext, 'config'>, id: number): Promise<IncidentDetails | undefined> {
  const incident = await getIncident(db, id);
  if (!incident) return undefined;
  const [timeline, alertRows, similar] = await Promise.all([
    getTimeline(db, id),
    db.selectFrom('alerts').selectAll().where('incident_id', '=', id).orderBy('id').execute(),
    findSimilar(db, incident),
  ]);
  const latest = new Map<string, (typeof alertRows)[number]>();
  for (const a of alertRows) latest.set(a.fingerprint, a);
  const alerts = [...latest.values()].map((a) => ({
    id: Number(a.id),
    name: a.name,
    fingerprint: a.fingerprint,
    service: a.service,
    severity: a.severity,
    status: a.status,
    source: a.source,
    startsAt: a.starts_at,
    receivedAt: a.received_at,
    generatorUrl: a.generator_url,
    labels: fromJson<Record<string, string>>(a.labels, {}),
  }));
  const symptoms = alerts.filter((a) => a.service && a.service !== incident.service).map((a) => ({ service: a.service!, alert: a.name }));
  const affected = incident.service ? affectedTree(incident.service, symptoms, dependencyGraph(ctx.config.services)) : null;
  return { incident, timeline: timeline.map((e) => ({ ...e, text: describeEvent(e) })), alerts, affected, similar };
}
