import { resultOf, type Rung } from './rung.js';

/** 1. A silence matches: the alert is recorded as suppressed, nothing opens. */
export const silence: Rung = (batch, alert) => {
  const match = batch.silenceFor(alert);
  if (!match) return undefined;
  batch.record(alert, null, 'suppressed', match.id);
  return resultOf(alert, 'suppressed', null);
};
