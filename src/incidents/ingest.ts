import { sql } from 'kysely';
import { inChunks, insertInChunks, toJson, type Db, type NewRow } from '../store/index.js';
import type { IncomingAlert } from './alert.js';
import type { IncidentContext } from './context.js';
import { dependencyGraph } from './dependencies.js';
import { SYSTEM, type NewEvent } from './events.js';
import { boundAlert } from './limits.js';
import { matchLabels } from './matchers.js';
import { ACTIVE_STATUSES, toIncident, type Incident } from './model.js';
import { atLeast } from './severity.js';
import { listSilences, type Silence } from './silences.js';
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
 *
 * Every delivery is recorded in `alerts`; the timeline gets an `alert_fired` event when an alert starts
 * firing, not for each re-notification of one that already fires (Alertmanager re-sends a whole group
 * whenever it changes), so a storm stays readable. The database enforces one active incident per
 * fingerprint, so concurrent identical alerts, on any number of workers, open one incident.
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
export async function ingestAlerts(ctx: IncidentContext, received: IncomingAlert[], actor: string): Promise<IngestResult[]> {
  if (received.length === 0) return [];
  // Every alert, whatever sent it, within the same limits before anything reads it (see limits.ts).
  const alerts = received.map((a) => {
    const { alert, notes } = boundAlert(a);
    if (notes.length > 0) limitNotes.set(alert, notes);
    return alert;
  });
  const groupBy = ctx.config.incidents.group_by;
  return ctx.store.transaction(async (trx) => {
    let batch = await IngestBatch.load(trx, ctx, actor, alerts);
    // In a storm almost every alert re-notifies an incident that is already open: nothing to decide
    // about groups, so no need to wait for other deliveries. Anything else may open, group, resolve
    // or reopen: lock every group the batch touches (sorted, so two batches never deadlock), then read
    // again what the wait may have changed. The unique index still guards one incident per fingerprint.
    if (!batch.onlyJoinsOpenIncidents(alerts)) {
      const keys = [...new Set(alerts.map((a) => `group:${groupKeyOf(a, groupBy)}`))].sort();
      await ctx.store.dialect.lockKeys(trx, keys);
      batch = await IngestBatch.load(trx, ctx, actor, alerts);
    }
    const results: IngestResult[] = [];
    for (const alert of alerts) results.push(await batch.ingest(alert));
    await batch.flush();
    return results;
  });
}

/** What boundAlert cut of an alert of the batch, for the timeline note next to its alert_fired. */
const limitNotes = new WeakMap<IncomingAlert, string[]>();

interface LastSeen {
  incidentId: number | null;
  status: string;
  startsAt: number;
}

/**
 * One delivery's work. Lookups are done once per batch and kept current as alerts are processed;
 * writes that only add (alert rows, timeline events of incidents already open) are gathered and
 * written together, so a storm of re-notifications costs a few statements per delivery, not per alert.
 */
class IngestBatch {
  private readonly alertRows: NewRow<'alerts'>[] = [];
  private readonly pending = new Map<number, NewEvent[]>();
  /** Severity raises, written with the batch before the events that may notify about them. */
  private readonly pendingSeverity = new Map<number, string>();
  /** The freshest copy of every incident this batch touched. */
  private readonly known = new Map<number, Incident>();
  private readonly now: number;

  private constructor(
    private readonly db: Db,
    private readonly ctx: IncidentContext,
    private readonly actor: string,
    private readonly silences: Silence[],
    private readonly active: Map<string, Incident>,
    private readonly lastSeen: Map<string, LastSeen>,
  ) {
    this.now = ctx.clock.now();
  }

  static async load(db: Db, ctx: IncidentContext, actor: string, alerts: IncomingAlert[]): Promise<IngestBatch> {
    const fps = [...new Set(alerts.map((a) => a.fingerprint))];
    const now = ctx.clock.now();
    const { dialect } = ctx.store;
    const [silences, activeRows, lastRows] = await Promise.all([
      listSilences(db, { activeAt: now }),
      inChunks(dialect, fps, (chunk) => db.selectFrom('incidents').selectAll().where('fingerprint', 'in', chunk).where('status', '<>', 'closed').execute()),
      inChunks(dialect, fps, (chunk) => db.selectFrom('alert_states').select(['fingerprint', 'incident_id', 'status', 'starts_at']).where('fingerprint', 'in', chunk).execute()),
    ]);
    const active = new Map(activeRows.map((r) => [r.fingerprint, toIncident(r)]));
    const lastSeen = new Map(lastRows.map((r) => [r.fingerprint, { incidentId: r.incident_id === null ? null : Number(r.incident_id), status: r.status, startsAt: r.starts_at }]));
    return new IngestBatch(db, ctx, actor, silences, active, lastSeen);
  }

  /** Every alert fires and has an open incident with its fingerprint (or is silenced). */
  onlyJoinsOpenIncidents(alerts: IncomingAlert[]): boolean {
    return alerts.every((a) => a.status === 'firing' && (this.active.has(a.fingerprint) || this.silenced(a)));
  }

  private silenced(alert: IncomingAlert): boolean {
    const labels = { ...alert.labels, alertname: alert.name, ...(alert.service ? { service: alert.service } : {}) };
    return this.silences.some((s) => matchLabels(s.matchers, labels));
  }

  async ingest(alert: IncomingAlert): Promise<IngestResult> {
    if (alert.status === 'resolved' || alert.status === 'acknowledged') return this.settle(alert);
    const labels = { ...alert.labels, alertname: alert.name, ...(alert.service ? { service: alert.service } : {}) };
    const silence = this.silences.find((s) => matchLabels(s.matchers, labels));
    if (silence) {
      this.record(alert, null, 'suppressed', silence.id);
      return this.result(alert, 'suppressed', null);
    }

    const same = this.active.get(alert.fingerprint);
    if (same) return this.join(alert, same, 'deduplicated');

    const { db, ctx, now } = this;
    const groupKey = groupKeyOf(alert, ctx.config.incidents.group_by);
    const group = await db
      .selectFrom('incidents')
      .selectAll()
      .where('group_key', '=', groupKey)
      .where('status', 'in', ACTIVE_STATUSES)
      .where('detected_at', '>=', now - ctx.config.incidents.group_window)
      .orderBy('id')
      .executeTakeFirst();
    if (group) return this.join(alert, this.current(toIncident(group)), 'grouped');

    if (alert.service) {
      for (const dependency of dependencyGraph(ctx.config.services).dependenciesOf(alert.service)) {
        const cause = await db.selectFrom('incidents').selectAll().where('service', '=', dependency).where('status', 'in', ACTIVE_STATUSES).orderBy('id').executeTakeFirst();
        if (!cause) continue;
        const root = cause.parent_id ? ((await db.selectFrom('incidents').selectAll().where('id', '=', cause.parent_id).executeTakeFirst()) ?? cause) : cause;
        return this.join(alert, this.current(toIncident(root)), 'symptom', [
          { type: 'symptom_joined', actor: this.actor, at: now, payload: { service: alert.service, alert: alert.name, fingerprint: alert.fingerprint, depends_on: dependency } },
        ]);
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
      const incident = toIncident(closed);
      this.record(alert, incident.id, 'firing');
      this.addEvents(incident, [{ type: 'reopened', actor: this.actor, at: now, payload: { alert: alert.name, fingerprint: alert.fingerprint, closed_at: closed.closed_at } }, ...this.fired(alert)]);
      // Reopening takes the fingerprint's active slot now, so later alerts of this batch join it.
      await this.flush();
      return this.result(alert, 'reopened', incident.id);
    }

    const inserted = await db
      .insertInto('incidents')
      .values({
        fingerprint: alert.fingerprint,
        group_key: groupKey,
        title: ctx.redactor.redact(alert.title),
        service: alert.service,
        severity: alert.severity,
        labels: toJson(ctx.redactor.redactDeep(labels)),
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
      const winner = await db.selectFrom('incidents').selectAll().where('fingerprint', '=', alert.fingerprint).where('status', '<>', 'closed').executeTakeFirst();
      if (!winner) throw new Error(`incident for ${alert.fingerprint} vanished during ingest`);
      return this.join(alert, toIncident(winner), 'deduplicated');
    }
    const incident = toIncident(inserted);
    this.active.set(alert.fingerprint, incident);
    this.record(alert, incident.id, 'firing');
    this.addEvents(incident, [
      {
        type: 'opened',
        actor: this.actor,
        at: now,
        payload: { started_at: Math.min(alert.startsAt, now), source: alert.source, alert: alert.name, fingerprint: alert.fingerprint, ...(alert.notify?.length ? { notify: alert.notify } : {}) },
      },
      ...this.fired(alert),
    ]);
    // Written now: the timestamps the events derive are what grouping looks for in the next alert.
    await this.flush();
    return this.result(alert, 'opened', incident.id);
  }

  /** Writes what was gathered: alert rows in one statement, then each incident's new events. */
  async flush(): Promise<void> {
    for (const [id, severity] of this.pendingSeverity) await this.db.updateTable('incidents').set({ severity }).where('id', '=', id).execute();
    this.pendingSeverity.clear();
    if (this.alertRows.length > 0) {
      const rows = this.alertRows.splice(0);
      const { dialect } = this.ctx.store;
      await insertInChunks(dialect, rows, (chunk) => this.db.insertInto('alerts').values(chunk).execute());
      // The last delivery of each fingerprint is its state now.
      const latest = new Map(rows.map((r) => [r.fingerprint, r]));
      const states = [...latest.values()].map((r) => ({ fingerprint: r.fingerprint, incident_id: r.incident_id ?? null, status: r.status, starts_at: r.starts_at, updated_at: r.received_at }));
      await insertInChunks(dialect, states, (chunk) =>
        this.db
          .insertInto('alert_states')
          .values(chunk)
          .onConflict((oc) =>
            oc.column('fingerprint').doUpdateSet((eb) => ({
              incident_id: eb.ref('excluded.incident_id'),
              status: eb.ref('excluded.status'),
              starts_at: eb.ref('excluded.starts_at'),
              updated_at: eb.ref('excluded.updated_at'),
            })),
          )
          .execute(),
      );
    }
    for (const [id, events] of [...this.pending]) {
      this.pending.delete(id);
      const incident = this.byId(id);
      if (!incident) continue;
      const { incident: next } = await appendEvents(this.db, this.ctx, incident, events);
      this.remember(next);
      if (next.status === 'closed') this.active.delete(next.fingerprint);
    }
  }

  /** A resolved or acknowledged alert: acts on the incident its fingerprint belongs to. */
  private async settle(alert: IncomingAlert): Promise<IngestResult> {
    await this.flush();
    const seen = this.lastSeen.get(alert.fingerprint);
    let incident = this.active.get(alert.fingerprint);
    if (!incident && seen?.incidentId != null) incident = this.byId(seen.incidentId) ?? (await this.fetchActive(seen.incidentId));
    this.record(alert, incident?.id ?? null, alert.status);
    if (!incident) return this.result(alert, 'recorded', null);
    if (alert.status === 'acknowledged') {
      this.addEvents(incident, [{ type: 'acknowledged', actor: this.actor, payload: { source: alert.source, alert: alert.name } }]);
      return this.result(alert, 'acknowledged', incident.id);
    }
    await this.flush();
    const stillFiring = await firingFingerprints(this.db, incident.id);
    // Already resolved (a remediation's fix, a person): the alert clearing says so, it is not a second fix.
    const resolves = stillFiring.length === 0 && incident.resolvedAt === null && incident.status !== 'closed';
    const event: NewEvent =
      resolves
        ? { type: 'resolved', actor: this.actor, payload: { source: alert.source, alert: alert.name, fingerprint: alert.fingerprint, note: 'the alert source says resolved' } }
        : { type: 'alert_resolved', actor: this.actor, payload: { alert: alert.name, fingerprint: alert.fingerprint, still_firing: stillFiring.length } };
    this.addEvents(incident, [event]);
    return this.result(alert, resolves ? 'resolved' : 'recorded', incident.id);
  }

  private join(alert: IncomingAlert, incident: Incident, outcome: IngestOutcome, extra: NewEvent[] = []): IngestResult {
    const seen = this.lastSeen.get(alert.fingerprint);
    const alreadyFiring = seen?.incidentId === incident.id && seen.status === 'firing' && seen.startsAt === alert.startsAt;
    this.record(alert, incident.id, 'firing');
    if (atLeast(alert.severity, incident.severity) && alert.severity !== incident.severity) {
      // Raised in the row now; the event write later carries the new value along.
      incident = { ...incident, severity: alert.severity };
      this.remember(incident);
      this.pendingSeverity.set(incident.id, alert.severity);
    }
    const events = alreadyFiring ? extra : [...extra, ...this.fired(alert)];
    if (events.length > 0) this.addEvents(incident, events);
    return this.result(alert, outcome, incident.id);
  }

  private remember(incident: Incident): void {
    this.known.set(incident.id, incident);
    if (incident.status !== 'closed') this.active.set(incident.fingerprint, incident);
  }

  /** The freshest copy this batch holds of an incident. */
  private current(incident: Incident): Incident {
    return this.known.get(incident.id) ?? this.active.get(incident.fingerprint) ?? incident;
  }

  private byId(id: number): Incident | undefined {
    return this.known.get(id) ?? [...this.active.values()].find((i) => i.id === id);
  }

  private async fetchActive(id: number): Promise<Incident | undefined> {
    const row = await this.db.selectFrom('incidents').selectAll().where('id', '=', id).where('status', '<>', 'closed').executeTakeFirst();
    if (!row) return undefined;
    const incident = toIncident(row);
    this.remember(incident);
    return incident;
  }

  private addEvents(incident: Incident, events: NewEvent[]): void {
    this.remember(incident);
    this.pending.set(incident.id, [...(this.pending.get(incident.id) ?? []), ...events]);
  }

  /** The alert_fired event, and a note of what the limits cut when they cut anything. */
  private fired(alert: IncomingAlert): NewEvent[] {
    const fired: NewEvent = {
      type: 'alert_fired',
      actor: this.actor,
      at: this.now,
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
    const notes = limitNotes.get(alert);
    if (!notes?.length) return [fired];
    return [fired, { type: 'note', actor: SYSTEM, at: this.now, payload: { text: `Alert ${alert.name} was over Medic's limits: ${notes.join('; ')}`, alert: alert.name, fingerprint: alert.fingerprint, limits: notes } }];
  }

  private record(alert: IncomingAlert, incidentId: number | null, status: string, silenceId: number | null = null): void {
    const { redactor } = this.ctx;
    this.alertRows.push({
      incident_id: incidentId,
      fingerprint: alert.fingerprint,
      source: alert.source,
      name: alert.name,
      service: alert.service,
      severity: alert.severity,
      status,
      labels: toJson(redactor.redactDeep(alert.labels)),
      annotations: toJson(redactor.redactDeep(alert.annotations)),
      starts_at: alert.startsAt,
      ends_at: alert.endsAt,
      received_at: this.now,
      generator_url: alert.generatorUrl ?? null,
      group_key: alert.groupKey ?? null,
      silence_id: silenceId,
    });
    this.lastSeen.set(alert.fingerprint, { incidentId, status, startsAt: alert.startsAt });
  }

  private result(alert: IncomingAlert, outcome: IngestOutcome, incidentId: number | null): IngestResult {
    return { fingerprint: alert.fingerprint, outcome, incidentId };
  }
}

/** Fingerprints of the incident's alerts whose latest state is firing. */
export async function firingFingerprints(db: Db, incidentId: number): Promise<string[]> {
  const rows = await db.selectFrom('alert_states').select('fingerprint').where('incident_id', '=', incidentId).where('status', '=', 'firing').execute();
  return rows.map((r) => r.fingerprint);
}

export async function activeByFingerprint(db: Db, fingerprint: string): Promise<Incident | undefined> {
  const row = await db.selectFrom('incidents').selectAll().where('fingerprint', '=', fingerprint).where('status', '<>', 'closed').executeTakeFirst();
  return row ? toIncident(row) : undefined;
}
