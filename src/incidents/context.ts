import type { MedicConfig, Redactor } from '../config/index.js';
import type { Clock } from '../shared/clock.js';
import type { Db, Store } from '../store/index.js';
import type { IncidentEvent, NewEvent } from './events.js';
import type { Incident } from './model.js';

/**
 * Reacts to new timeline events inside the transaction that wrote them, typically by enqueueing jobs
 * (a runbook run, a remediation attempt, a notification). The incident core knows nothing of the
 * phases; the runtime registers one reactor per phase.
 *
 * A reactor may answer with follow-up events, appended in the same transaction right after (a matched
 * remediation rule records the cause the moment its alert fires; deployments are attached the moment
 * the incident opens). Follow-ups go through every reactor in turn, so they must not answer their own
 * kind of event with more follow-ups.
 */
export interface IncidentReactor {
  readonly name: string;
  onEvents(db: Db, incident: Incident, events: IncidentEvent[]): Promise<void | NewEvent[]>;
}

/** What the incident core needs from the process around it. */
export interface IncidentContext {
  store: Store;
  clock: Clock;
  redactor: Redactor;
  config: Pick<MedicConfig, 'incidents' | 'services' | 'silences'>;
  reactors: IncidentReactor[];
}
