import { sql } from 'kysely';
import { toJson, type Db } from '../store/index.js';
import type { IncomingAlert } from './alert.js';
import type { IncidentContext } from './context.js';
import { dependencyGraph } from './dependencies.js';
import type { NewEvent } from './events.js';
import { ACTIVE_STATUSES, toIncident, type Incident } from './model.js';
import { atLeast } from './severity.js';
import { findSilence } from './silences.js';
import { appendEvents } from './timeline.js';

/**
 * Alerts in, incidents out. For a firing alert, in this order:
 *   1. a silence matches            → recorded as suppressed, nothing opens
 *   2. an active incident has its fingerprint → joins it (dedup)
 *   3. an active incident of its group opened within group_window → joins it (grouping)
 *   4. a dependency of its service has an active incident → joins that one as a symptom
 *   5. an incident with its fingerprint closed within reopen_window → reopened
 *   6. otherwise a new incident opens.
 * A resolved alert resolves its incident once none of the incident's alerts still fires.
 * The database enforces one active incident per fingerprint, so concurrent identical alerts, on any
 * number of workers, open one incident.
 */

export type IngestOutcome = 'opened' | 'deduplicated' | 'grouped' | 'symptom' | 'reopened' | 'suppressed' | 'resolved' | 'acknowledged' | 'recorded';

export interface IngestResult {
  fingerprint: string;
  outcome: IngestOutcome;
  incidentId: number | null;
}

export function groupKeyOf(alert: Pick<IncomingAlert, 'labels' | 'service'>, groupBy: string[]): string {
  return groupBy.map((label) => `${label}=${label === 'service' ? (alert.service ?? alert.labels.service ?? '') : (alert.labels[label] ?? '')}`).join(',');
}

/** Ingests a batch (one webhook delivery) in one transaction: all of it is recorded, or none. */
export async function ingestAlerts(ctx: IncidentContext, alerts: IncomingAlert[], actor: string): Promise<IngestResult[]> {
  if (alerts.length === 0) return [];
  const groupBy = ctx.config.incidents.group_by;
  // Lock every group this batch touches, in a fixed order, so two batches never deadlock and two
  // alerts of one group never open two incidents.
  const keys = [...new Set(alerts.flatMap((a) => [`group:${groupKeyOf(a, groupBy)}`, `fp:${a.fingerprint}`]))].sort();
  return ctx.store.transaction(async (trx) => {
    for (const key of keys) await ctx.store.dialect.lockKey(trx, key);
    const results: IngestResult[] = [];
    for (const alert of alerts) results.push(await ingestOne(trx, ctx, alert, actor));
    return results;
  });
}

async function ingestOne(db: Db, ctx: IncidentContext, alert: IncomingAlert, actor: string): Promise<IngestResult> {
  const now = ctx.clock.now();
  const record = (incidentId: number | null, status: string, silenceId: number | null = null) =>
    db
      .insertInto('alerts')
      .values({
        incident_id: incidentId,
        fingerprint: alert.fingerprint,
        source: alert.source,
        name: alert.name,
        service: alert.service,
        severity: alert.severity,
        status,
        labels: toJson(ctx.redactor.redactDeep(alert.labels)),
        annotations: toJson(ctx.redactor.redactDeep(alert.annotations)),
        starts_at: alert.startsAt,
        ends_at: alert.endsAt,
        received_at: now,
        generator_url: alert.generatorUrl ?? null,
        group_key: alert.groupKey ?? null,
        silence_id: silenceId,
      })
      .execute();
  const result = (outcome: IngestOutcome, incidentId: number | null): IngestResult => ({ fingerprint: alert.fingerprint, outcome, incidentId });

  if (alert.status === 'resolved' || alert.status === 'acknowledged') {
    const incident = (await activeByFingerprint(db, alert.fingerprint)) ?? (await activeByAlert(db, alert.fingerprint));
    await record(incident?.id ?? null, alert.status);
    if (!incident) return result('recorded', null);
    if (alert.status === 'acknowledged') {
      await appendEvents(db, ctx, incident, [{ type: 'acknowledged', actor, payload: { source: alert.source, alert: alert.name } }]);
      return result('acknowledged', incident.id);
    }
    const stillFiring = await firingFingerprints(db, incident.id);
    const event: NewEvent = stillFiring.length === 0
      ? { type: 'resolved', actor, payload: { source: alert.source, alert: alert.name, fingerprint: alert.fingerprint, note: 'the alert source says resolved' } }
      : { type: 'alert_resolved', actor, payload: { alert: alert.name, fingerprint: alert.fingerprint, still_firing: stillFiring.length } };
    await appendEvents(db, ctx, incident, [event]);
    return result(stillFiring.length === 0 ? 'resolved' : 'recorded', incident.id);
  }

  const silence = await findSilence(db, { ...alert.labels, alertname: alert.name, ...(alert.service ? { service: alert.service } : {}) }, now);
  if (silence) {
    await record(null, 'suppressed', silence.id);
    return result('suppressed', null);
  }

  const fired: NewEvent = {
    type: 'alert_fired',
    actor,
    at: now,
    payload: {
      alert: alert.name,
      fingerprint: alert.fingerprint,
      source: alert.source,
      severity: alert.severity,
      summary: alert.title,
      started_at: alert.startsAt,
      ...(alert.generatorUrl ? { generator_url: alert.generatorUrl } : {}),
    },
  };
  const join = async (incident: Incident, outcome: IngestOutcome, extra: NewEvent[] = []) => {
    await record(incident.id, 'firing');
    if (atLeast(alert.severity, incident.severity) && alert.severity !== incident.severity) {
      await db.updateTable('incidents').set({ severity: alert.severity }).where('id', '=', incident.id).execute();
      incident = { ...incident, severity: alert.severity };
    }
    await appendEvents(db, ctx, incident, [...extra, fired]);
    return result(outcome, incident.id);
  };

  const same = await activeByFingerprint(db, alert.fingerprint);
  if (same) return join(same, 'deduplicated');

  const groupKey = groupKeyOf(alert, ctx.config.incidents.group_by);
  const group = await db
    .selectFrom('incidents')
    .selectAll()
    .where('group_key', '=', groupKey)
    .where('status', 'in', ACTIVE_STATUSES)
    .where('detected_at', '>=', now - ctx.config.incidents.group_window)
    .orderBy('id')
    .executeTakeFirst();
  if (group) return join(toIncident(group), 'grouped');

  if (alert.service) {
    for (const dependency of dependencyGraph(ctx.config.services).dependenciesOf(alert.service)) {
      const cause = await db.selectFrom('incidents').selectAll().where('service', '=', dependency).where('status', 'in', ACTIVE_STATUSES).orderBy('id').executeTakeFirst();
      if (cause) {
        const root = cause.parent_id ? ((await db.selectFrom('incidents').selectAll().where('id', '=', cause.parent_id).executeTakeFirst()) ?? cause) : cause;
        return join(toIncident(root), 'symptom', [
          { type: 'symptom_joined', actor, at: now, payload: { service: alert.service, alert: alert.name, fingerprint: alert.fingerprint, depends_on: dependency } },
        ]);
      }
    }
  }

  const closed = await db
    .selectFrom('incidents')
    .selectAll()
    .where('fingerprint', '=', alert.fingerprint)
    .where('status', '=', 'closed')
    .where('closed_at', '>=', now - ctx.config.incidents.reopen_window)
    .orderBy('closed_at', 'desc')
    .executeTakeFirst();
  if (closed) {
    await record(Number(closed.id), 'firing');
    await appendEvents(db, ctx, toIncident(closed), [{ type: 'reopened', actor, at: now, payload: { alert: alert.name, fingerprint: alert.fingerprint, closed_at: closed.closed_at } }, fired]);
    return result('reopened', Number(closed.id));
  }

  const inserted = await db
    .insertInto('incidents')
    .values({
      fingerprint: alert.fingerprint,
      group_key: groupKey,
      title: ctx.redactor.redact(alert.title),
      service: alert.service,
      severity: alert.severity,
      labels: toJson(ctx.redactor.redactDeep({ ...alert.labels, alertname: alert.name, ...(alert.service ? { service: alert.service } : {}) })),
      status: 'open',
      source: alert.source,
      alert_name: alert.name,
      created_at: now,
      updated_at: now,
    })
    // The conflict target repeats the partial index's predicate literally: SQLite matches it by text.
    .onConflict((oc) => oc.column('fingerprint').where(sql<boolean>`status <> 'closed'`).doNothing())
    .returningAll()
    .executeTakeFirst();
  if (!inserted) {
    // Another transaction opened it between our lookup and insert (a worker without our lock): join it.
    const winner = await activeByFingerprint(db, alert.fingerprint);
    if (!winner) throw new Error(`incident for ${alert.fingerprint} vanished during ingest`);
    return join(winner, 'deduplicated');
  }
  const incident = toIncident(inserted);
  await record(incident.id, 'firing');
  await appendEvents(db, ctx, incident, [
    {
      type: 'opened',
      actor,
      at: now,
      payload: { started_at: Math.min(alert.startsAt, now), source: alert.source, alert: alert.name, fingerprint: alert.fingerprint, ...(alert.notify?.length ? { notify: alert.notify } : {}) },
    },
    fired,
  ]);
  return result('opened', incident.id);
}

export async function activeByFingerprint(db: Db, fingerprint: string): Promise<Incident | undefined> {
  const row = await db.selectFrom('incidents').selectAll().where('fingerprint', '=', fingerprint).where('status', '<>', 'closed').executeTakeFirst();
  return row ? toIncident(row) : undefined;
}

/** The active incident an alert with this fingerprint joined (by grouping or as a symptom). */
async function activeByAlert(db: Db, fingerprint: string): Promise<Incident | undefined> {
  const row = await db
    .selectFrom('alerts')
    .innerJoin('incidents', 'incidents.id', 'alerts.incident_id')
    .selectAll('incidents')
    .where('alerts.fingerprint', '=', fingerprint)
    .where('incidents.status', '<>', 'closed')
    .orderBy('alerts.id', 'desc')
    .executeTakeFirst();
  return row ? toIncident(row) : undefined;
}

/** Fingerprints of the incident's alerts whose latest state is firing. */
export async function firingFingerprints(db: Db, incidentId: number): Promise<string[]> {
  const rows = await db
    .selectFrom('alerts as a')
    .select('a.fingerprint')
    .where('a.incident_id', '=', incidentId)
    .where('a.status', '=', 'firing')
    .where(({ eb, selectFrom }) =>
      eb('a.id', '=', selectFrom('alerts as b').select((b) => b.fn.max('b.id').as('m')).whereRef('b.incident_id', '=', 'a.incident_id').whereRef('b.fingerprint', '=', 'a.fingerprint')),
    )
    .execute();
  return rows.map((r) => r.fingerprint);
}
