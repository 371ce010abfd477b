import { lastClosed } from '../table.js';
import { resultOf, type Rung } from './rung.js';

/** 5. The alert's fingerprint had an incident closed within `reopen_window`: that incident reopens. */
export const reopen: Rung = async (batch, alert) => {
  const closed = await lastClosed(batch.db, alert.fingerprint, batch.now - batch.ctx.config.incidents.reopen_window);
  if (!closed) return undefined;
  batch.record(alert, closed.id, 'firing');
  batch.addEvents(closed, [
    { type: 'reopened', actor: batch.actor, at: batch.now, payload: { alert: alert.name, fingerprint: alert.fingerprint, closed_at: closed.closedAt } },
    ...batch.fired(alert),
  ]);
  batch.forgetGroups();
  // Reopening takes the fingerprint's active slot now, so later alerts of this batch join it.
  await batch.flush();
  return resultOf(alert, 'reopened', closed.id);
};
