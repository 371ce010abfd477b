import { toJson } from '../../store/index.js';
import { activeByFingerprint, insertIncident } from '../table.js';
import { matchableLabels } from './batch.js';
import { groupKeyOf } from './group.js';
import { resultOf, type Rung } from './rung.js';

/** 6. Nothing else took the alert: a new incident opens. */
export const open: Rung = async (batch, alert) => {
  const { db, ctx, now } = batch;
  const incident = await insertIncident(db, {
    fingerprint: alert.fingerprint,
    group_key: groupKeyOf(alert, ctx.config.incidents.group_by),
    title: ctx.redactor.redact(alert.title),
    service: alert.service,
    severity: alert.severity,
    labels: toJson(ctx.redactor.redactDeep(matchableLabels(alert))),
    status: 'open',
    source: alert.source,
    alert_name: alert.name,
    created_at: now,
    updated_at: now,
  });
  if (!incident) {
    // Another transaction opened it between our lookup and insert (a worker without our lock): join it.
    const winner = await activeByFingerprint(db, alert.fingerprint);
    if (!winner) throw new Error(`incident for ${alert.fingerprint} vanished during ingest`);
    return batch.join(alert, winner, 'deduplicated');
  }
  batch.record(alert, incident.id, 'firing');
  batch.addEvents(incident, [
    {
      type: 'opened',
      actor: batch.actor,
      at: now,
      payload: { started_at: Math.min(alert.startsAt, now), source: alert.source, alert: alert.name, fingerprint: alert.fingerprint, ...(alert.notify?.length ? { notify: alert.notify } : {}) },
    },
    ...batch.fired(alert),
  ]);
  batch.forgetGroups();
  // Written now: the timestamps the events derive are what grouping looks for in the next alert.
  await batch.flush();
  return resultOf(alert, 'opened', incident.id);
};
