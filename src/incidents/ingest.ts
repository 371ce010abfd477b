import type { IncomingAlert } from './alert.js';
import type { IncidentContext } from './context.js';
import { IngestBatch } from './ingest/batch.js';
import { dedup } from './ingest/dedup.js';
import { dependency } from './ingest/dependency.js';
import { group, groupKeyOf } from './ingest/group.js';
import { open } from './ingest/open.js';
import { reopen } from './ingest/reopen.js';
import type { IngestResult, Rung } from './ingest/rung.js';
import { settle } from './ingest/settle.js';
import { silence } from './ingest/silence.js';
import { boundAlert } from './limits.js';

export { groupKeyOf } from './ingest/group.js';
export type { IngestOutcome, IngestResult } from './ingest/rung.js';

/**
 * Alerts in, incidents out. A firing alert climbs the ladder below; the first rung that takes it
 * decides its incident (each rung's file says its rule). A resolved or acknowledged alert settles the
 * incident its fingerprint belongs to (ingest/settle.ts).
 *
 * Every delivery is recorded in `alerts`; the timeline gets an `alert_fired` event when an alert starts
 * firing, not for each re-notification of one that already fires (Alertmanager re-sends a whole group
 * whenever it changes), so a storm stays readable. The database enforces one active incident per
 * fingerprint, so concurrent identical alerts, on any number of workers, open one incident.
 */
const LADDER: readonly Rung[] = [silence, dedup, group, dependency, reopen, open];

async function ingestOne(batch: IngestBatch, alert: IncomingAlert): Promise<IngestResult> {
  if (alert.status === 'resolved' || alert.status === 'acknowledged') return settle(batch, alert);
  for (const rung of LADDER) {
    const taken = await rung(batch, alert);
    if (taken) return taken;
  }
  throw new Error(`no rung of the ingest ladder took alert ${alert.fingerprint}`); // open always takes it
}

/** Ingests a batch (one webhook delivery) in one transaction: all of it is recorded, or none. */
export async function ingestAlerts(ctx: IncidentContext, received: IncomingAlert[], actor: string): Promise<IngestResult[]> {
  if (received.length === 0) return [];
  // Every alert, whatever sent it, within the same limits before anything reads it (see limits.ts).
  const limitNotes = new Map<IncomingAlert, string[]>();
  const alerts = received.map((a) => {
    const { alert, notes } = boundAlert(a);
    if (notes.length > 0) limitNotes.set(alert, notes);
    return alert;
  });
  const groupBy = ctx.config.incidents.group_by;
  return ctx.store.transaction(async (trx) => {
    let batch = await IngestBatch.load(trx, ctx, actor, alerts, limitNotes);
    // In a storm almost every alert re-notifies an alert that already fires in an open incident (its
    // fingerprint's or its group's): nothing to decide, so no need to wait for other deliveries.
    // Anything else may open, group, resolve, reopen or start firing: lock every group the batch
    // touches (sorted, so two batches never deadlock), then read again what the wait may have changed.
    // The unique index still guards one incident per fingerprint.
    if (!batch.onlyRenotifies(alerts)) {
      const keys = [...new Set(alerts.map((a) => `group:${groupKeyOf(a, groupBy)}`))].sort();
      await ctx.store.dialect.lockKeys(trx, keys);
      batch = await IngestBatch.load(trx, ctx, actor, alerts, limitNotes);
    }
    const results: IngestResult[] = [];
    for (const alert of alerts) results.push(await ingestOne(batch, alert));
    await batch.flush();
    return results;
  });
}
