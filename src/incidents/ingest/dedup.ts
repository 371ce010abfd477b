import type { Rung } from './rung.js';

/** 2. An active incident has the alert's fingerprint: the alert joins it. */
export const dedup: Rung = (batch, alert) => {
  const same = batch.activeFor(alert.fingerprint);
  return same ? batch.join(alert, same, 'deduplicated') : undefined;
};
