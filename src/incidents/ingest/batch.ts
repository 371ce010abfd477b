import { toJson, type Db, type NewRow } from '../../store/index.js';
import type { IncomingAlert } from '../alert.js';
import { alertStates, recordDeliveries, type AlertState } from '../alert-log.js';
import type { IncidentContext } from '../context.js';
import { SYSTEM, type NewEvent } from '../events.js';
import { matchLabels } from '../matchers.js';
import type { Incident } from '../model.js';
import { atLeast } from '../severity.js';
import { listSilences, type Silence } from '../silences.js';
import { activeByFingerprints, activeById, activeInGroups, setSeverity } from '../table.js';
import { groupKeyOf } from './group.js';
import { appendEvents } from '../timeline.js';
import { resultOf, type IngestOutcome, type IngestResult } from './rung.js';

/** An alert's labels as matchers and the incident see them: with its name and service. */
export function matchableLabels(alert: IncomingAlert): Record<string, string> {
  return { ...alert.labels, alertname: alert.name, ...(alert.service ? { service: alert.service } : {}) };
}

/**
 * One delivery's work, shared by the rungs of the ladder. Lookups are done once per batch and kept
 * current as alerts are processed; writes that only add (alert rows, timeline events of incidents
 * already open) are gathered and written together, so a storm of re-notifications costs a few
 * statements per delivery, not per alert.
 */
export class IngestBatch {
  private readonly alertRows: NewRow<'alerts'>[] = [];
  private readonly pending = new Map<number, NewEvent[]>();
  /** Severity raises, written with the batch before the events that may notify about them. */
  private readonly pendingSeverity = new Map<number, string>();
  /** The freshest copy of every incident this batch touched. */
  private readonly known = new Map<number, Incident>();
  readonly now: number;

  private constructor(
    readonly db: Db,
    readonly ctx: IncidentContext,
    readonly actor: string,
    /** What boundAlert cut of an alert, for the timeline note next to its alert_fired. */
    private readonly limitNotes: ReadonlyMap<IncomingAlert, string[]>,
    private readonly silences: Silence[],
    /** The active incident of each fingerprint. */
    private readonly active: Map<string, Incident>,
    private readonly lastSeen: Map<string, AlertState>,
    /** The groups of this batch's firing alerts, the keys groupIncident reads together. */
    private readonly groupKeys: readonly string[],
    /** Each group's incident an alert would join (see groupIncident); undefined until read again. */
    private groups: Map<string, Incident> | undefined,
    now: number,
  ) {
    this.now = now;
  }

  static async load(db: Db, ctx: IncidentContext, actor: string, alerts: IncomingAlert[], limitNotes: ReadonlyMap<IncomingAlert, string[]>): Promise<IngestBatch> {
    const now = ctx.clock.now();
    const fps = [...new Set(alerts.map((a) => a.fingerprint))];
    const { group_by, group_window } = ctx.config.incidents;
    const groupKeys = [...new Set(alerts.filter((a) => a.status === 'firing').map((a) => groupKeyOf(a, group_by)))];
    const [silences, active, lastSeen, groups] = await Promise.all([
      listSilences(db, { activeAt: now }),
      activeByFingerprints(db, ctx, fps),
      alertStates(db, ctx, fps),
      activeInGroups(db, ctx, groupKeys, now - group_window),
    ]);
    return new IngestBatch(db, ctx, actor, limitNotes, silences, new Map(active.map((i) => [i.fingerprint, i])), lastSeen, groupKeys, groups, now);
  }

  /**
   * Every alert is silenced, or re-notifies: it still fires (same start) in the active incident the
   * ladder would give it — its fingerprint's, or its group's within the group window. Such a batch
   * decides nothing (opens, reopens, resolves nothing, writes no alert_fired), so it needs no lock. An
   * alert that starts firing does decide (whether to write alert_fired), so two deliveries of it queue.
   */
  onlyRenotifies(alerts: IncomingAlert[]): boolean {
    const { group_by } = this.ctx.config.incidents;
    return alerts.every((a) => {
      if (a.status !== 'firing') return false;
      if (this.silenceFor(a)) return true;
      const incident = this.active.get(a.fingerprint) ?? this.groups?.get(groupKeyOf(a, group_by));
      const seen = this.lastSeen.get(a.fingerprint);
      return incident !== undefined && seen?.incidentId === incident.id && seen.status === 'firing' && seen.startsAt === a.startsAt;
    });
  }

  /**
   * The oldest active incident of a group detected within the group window (what the group rung
   * joins). The batch's groups are read in one query and kept until something opens, reopens or
   * settles an incident (forgetGroups); only those write incidents before the batch's final flush.
   */
  async groupIncident(groupKey: string): Promise<Incident | undefined> {
    this.groups ??= await activeInGroups(this.db, this.ctx, this.groupKeys.includes(groupKey) ? this.groupKeys : [...this.groupKeys, groupKey], this.now - this.ctx.config.incidents.group_window);
    return this.groups.get(groupKey);
  }

  /** An incident opened, reopened or settled: the groups are read again when next asked. */
  forgetGroups(): void {
    this.groups = undefined;
  }

  silenceFor(alert: IncomingAlert): Silence | undefined {
    const labels = matchableLabels(alert);
    return this.silences.find((s) => matchLabels(s.matchers, labels));
  }

  activeFor(fingerprint: string): Incident | undefined {
    return this.active.get(fingerprint);
  }

  /** The latest delivery of a fingerprint, this batch's included. */
  lastSeenOf(fingerprint: string): AlertState | undefined {
    return this.lastSeen.get(fingerprint);
  }

  /** Writes what was gathered: severity raises, alert rows, then each incident's new events. */
  async flush(): Promise<void> {
    for (const [id, severity] of this.pendingSeverity) await setSeverity(this.db, id, severity);
    this.pendingSeverity.clear();
    await recordDeliveries(this.db, this.ctx, this.alertRows.splice(0));
    for (const [id, events] of [...this.pending]) {
      this.pending.delete(id);
      const incident = this.byId(id);
      if (!incident) continue;
      const { incident: next } = await appendEvents(this.db, this.ctx, incident, events);
      this.remember(next);
      if (next.status === 'closed') this.active.delete(next.fingerprint);
    }
  }

  /** A firing alert joins an incident: raises its severity when the alert is more severe. */
  join(alert: IncomingAlert, incident: Incident, outcome: IngestOutcome, extra: NewEvent[] = []): IngestResult {
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
    return resultOf(alert, outcome, incident.id);
  }

  /** The freshest copy this batch holds of an incident. */
  current(incident: Incident): Incident {
    return this.known.get(incident.id) ?? this.active.get(incident.fingerprint) ?? incident;
  }

  /** An active incident by id: this batch's copy, or read (and kept) when the batch has none. */
  async activeById(id: number): Promise<Incident | undefined> {
    const held = this.byId(id);
    if (held) return held;
    const incident = await activeById(this.db, id);
    if (incident) this.remember(incident);
    return incident;
  }

  addEvents(incident: Incident, events: NewEvent[]): void {
    this.remember(incident);
    this.pending.set(incident.id, [...(this.pending.get(incident.id) ?? []), ...events]);
  }

  /** The alert_fired event, and a note of what the limits cut when they cut anything. */
  fired(alert: IncomingAlert): NewEvent[] {
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
    const notes = this.limitNotes.get(alert);
    if (!notes?.length) return [fired];
    return [fired, { type: 'note', actor: SYSTEM, at: this.now, payload: { text: `Alert ${alert.name} was over Medic's limits: ${notes.join('; ')}`, alert: alert.name, fingerprint: alert.fingerprint, limits: notes } }];
  }

  /** Gathers the delivery's `alerts` row; it becomes the fingerprint's last seen state at once. */
  record(alert: IncomingAlert, incidentId: number | null, status: string, silenceId: number | null = null): void {
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

  private remember(incident: Incident): void {
    this.known.set(incident.id, incident);
    if (incident.status !== 'closed') this.active.set(incident.fingerprint, incident);
  }

  private byId(id: number): Incident | undefined {
    return this.known.get(id) ?? [...this.active.values()].find((i) => i.id === id);
  }
}
