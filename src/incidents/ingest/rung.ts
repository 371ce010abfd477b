import type { IncomingAlert } from '../alert.js';
import type { IngestBatch } from './batch.js';

export type IngestOutcome = 'opened' | 'deduplicated' | 'grouped' | 'symptom' | 'reopened' | 'suppressed' | 'resolved' | 'acknowledged' | 'recorded';

export interface IngestResult {
  fingerprint: string;
  outcome: IngestOutcome;
  incidentId: number | null;
}

/** One rung of the ladder a firing alert climbs: takes the alert (its result), or passes it up (undefined). */
export type Rung = (batch: IngestBatch, alert: IncomingAlert) => IngestResult | undefined | Promise<IngestResult | undefined>;

export const resultOf = (alert: IncomingAlert, outcome: IngestOutcome, incidentId: number | null): IngestResult => ({ fingerprint: alert.fingerprint, outcome, incidentId });
