import type { MonitorConfig } from '../../config/index.js';
import { appendToIncident, ingestAlerts, type IncidentContext, type IncomingAlert } from '../../incidents/index.js';
import type { Db } from '../../store/index.js';
import type { CheckOutcome } from '../checks/index.js';
import { ANY_LOCATION } from '../monitors/sync.js';

/**
 * A monitor's outage as an incident. A monitor is an alert source like any other: its incidents go
 * through the same ingest (dedup by fingerprint, grouping, silences, dependencies) and carry the labels
 * runbooks and remediation rules match on (`alertname`, `service`, `monitor`, `alert_type`, `severity`).
 *
 * started_at is the streak's first failing run and detected_at the run that met the threshold, so time
 * to detect is measured from the checks themselves.
 */

export const monitorFingerprint = (name: string) => `monitor:${name}`;
export const monitorActor = (name: string) => `monitor:${name}`;

/** A run failed only on `assert_load_time_ms`: the service answers, too slowly — a latency outage. */
export function alertTypeOf(outcome: Pick<CheckOutcome, 'assertions' | 'networkError'>): 'availability' | 'latency' {
  const failedAssertions = outcome.assertions.filter((a) => !a.pass);
  return !outcome.networkError && failedAssertions.length > 0 && failedAssertions.every((a) => a.name === 'load_time') ? 'latency' : 'availability';
}

function monitorAlert(m: MonitorConfig, status: 'firing' | 'resolved', startsAt: number, extra: { error?: string; alertType?: string; locations?: string[] }): IncomingAlert {
  const name = m.alert ?? m.name;
  const service = m.service ?? null;
  const labels: Record<string, string> = {
    ...m.labels,
    alertname: name,
    monitor: m.name,
    alert_type: extra.alertType ?? 'availability',
    severity: m.severity,
    ...(service ? { service } : {}),
  };
  const annotations: Record<string, string> = {};
  if (extra.error) annotations.error = extra.error;
  if (extra.locations?.length) annotations.locations = extra.locations.join(', ');
  return {
    source: 'monitor',
    name,
    fingerprint: monitorFingerprint(m.name),
    status,
    service,
    severity: m.severity,
    labels,
    annotations,
    startsAt,
    endsAt: status === 'resolved' ? startsAt : null,
    title: extra.error ? `${m.name}: ${extra.error}` : `${m.name} is down`,
    ...(extra.error ? { description: extra.error } : {}),
    ...(m.notify ? { notify: m.notify } : {}),
  };
}

/** Locations other than `location` whose streak is down right now. */
async function otherDownLocations(db: Db, monitorId: number, location: string): Promise<string[]> {
  const rows = await db.selectFrom('monitor_schedule').select('location').where('monitor_id', '=', monitorId).where('location', '!=', location).where('status', '=', 'down').execute();
  return rows.map((r) => r.location);
}

export interface DownRun {
  monitorId: number;
  location: string;
  failingSince: number;
  outcome: CheckOutcome;
}

/**
 * The streak at one location met the threshold. Opens (or joins) the monitor's incident once
 * `confirm_locations` locations are down; returns its id, or null while unconfirmed.
 */
export async function openMonitorIncident(ctx: IncidentContext, m: MonitorConfig, run: DownRun): Promise<number | null> {
  const db = ctx.store.db;
  const others = m.confirm_locations > 1 ? await otherDownLocations(db, run.monitorId, run.location) : [];
  const failed = [run.location, ...others].filter((l) => l !== ANY_LOCATION).sort();
  if (1 + others.length < m.confirm_locations) return null;
  const alert = monitorAlert(m, 'firing', run.failingSince, { error: run.outcome.error, alertType: alertTypeOf(run.outcome), locations: failed });
  const [result] = await ingestAlerts(ctx, [alert], monitorActor(m.name));
  const incidentId = result?.incidentId ?? null;
  await db.updateTable('monitors').set({ status: 'down', incident_id: incidentId }).where('id', '=', run.monitorId).execute();
  return incidentId;
}

/**
 * The streak at one location recovered. When too few locations remain down to call it an outage, the
 * incident gets a `check_recovered` event and the monitor's alert resolves — which resolves the incident
 * if nothing resolved it first (a remediation usually has); verification then decides when it closes.
 */
export async function recoverMonitorIncident(ctx: IncidentContext, m: MonitorConfig, run: { monitorId: number; location: string; at: number; durationMs: number }): Promise<void> {
  const db = ctx.store.db;
  const others = m.confirm_locations > 1 ? await otherDownLocations(db, run.monitorId, run.location) : [];
  if (others.length >= m.confirm_locations) return;
  const row = await db.selectFrom('monitors').select('incident_id').where('id', '=', run.monitorId).executeTakeFirst();
  const incidentId = row?.incident_id == null ? null : Number(row.incident_id);
  if (incidentId !== null) {
    await appendToIncident(ctx, incidentId, (i) =>
      i.status === 'closed' ? [] : [{ type: 'check_recovered', actor: monitorActor(m.name), payload: { monitor: m.name, ...(run.location !== ANY_LOCATION ? { location: run.location } : {}), duration_ms: run.durationMs } }],
    );
  }
  await ingestAlerts(ctx, [monitorAlert(m, 'resolved', run.at, {})], monitorActor(m.name));
  await db.updateTable('monitors').set({ incident_id: null }).where('id', '=', run.monitorId).execute();
}

/**
 * `notify_degraded: true`: a monitor turning degraded (every assertion passed, a `degraded_if` held)
 * opens a P4 latency incident of its own — which is how people are told, through the usual routes — and
 * resolves it when the monitor is back to up. Without the option degraded is shown and reported only.
 */
export async function degradedChanged(ctx: IncidentContext, m: MonitorConfig, degraded: boolean, at: number, outcome: CheckOutcome): Promise<void> {
  const name = `${m.alert ?? m.name} degraded`;
  const reason = outcome.degradedBy?.join(', ') ?? 'slow';
  const alert: IncomingAlert = {
    source: 'monitor',
    name,
    fingerprint: `${monitorFingerprint(m.name)}:degraded`,
    status: degraded ? 'firing' : 'resolved',
    service: m.service ?? null,
    severity: 'P4',
    labels: { ...m.labels, alertname: name, monitor: m.name, alert_type: 'latency', severity: 'P4', ...(m.service ? { service: m.service } : {}) },
    annotations: { degraded_if: reason },
    startsAt: at,
    endsAt: degraded ? null : at,
    title: `${m.name} is degraded: ${reason}`,
    ...(m.notify ? { notify: m.notify } : {}),
  };
  await ingestAlerts(ctx, [alert], monitorActor(m.name));
}
