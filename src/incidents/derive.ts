import { isFix, type EventBody } from './events.js';
import { derivePhases, type PhaseDurations, type PhaseTimestamps } from './phases.js';

/**
 * How events move an incident: its status and its phase timestamps. One pure fold, used both
 * incrementally (applying each new event to the stored row) and from scratch (replaying a timeline),
 * so the two can never disagree.
 *
 * | timestamp      | first event that sets it                                                     |
 * |----------------|------------------------------------------------------------------------------|
 * | started_at     | `opened` (payload.started_at: first failing check or the alert's startsAt)   |
 * | detected_at    | `opened` (its time)                                                          |
 * | acknowledged_at| `acknowledged`                                                               |
 * | diagnosed_at   | `cause_identified` (a responder, or a remediation rule that matched)         |
 * | resolved_at    | `resolved`, or any event whose payload has `fix: true` (a remediation that   |
 * |                | succeeded, a rollback, a flag switched as the fix)                           |
 * | verified_at    | `verified` (the incident closes)                                             |
 *
 * `reopened` and `verification_failed` clear resolved_at (and reopened verified_at): a fix that did not
 * hold is not the fix, so the resolve phase ends at the fix that worked and verify measures only its
 * verification. The earlier attempts stay on the timeline.
 */

export type IncidentStatus = 'open' | 'acknowledged' | 'mitigating' | 'resolved' | 'verifying' | 'closed' | 'reopened';

export interface IncidentState extends PhaseTimestamps {
  status: IncidentStatus;
  acknowledged_at: number | null;
  closed_at: number | null;
  cause: string | null;
  reopen_count: number;
}

export const EMPTY_STATE: IncidentState = {
  status: 'open',
  started_at: null,
  detected_at: null,
  acknowledged_at: null,
  diagnosed_at: null,
  resolved_at: null,
  verified_at: null,
  closed_at: null,
  cause: null,
  reopen_count: 0,
};

/** What the fold needs of an event: its type, payload and time. */
export type EventLike = EventBody & { at: number };

/** The state after one more event. */
export function applyEvent(state: IncidentState, e: EventLike): IncidentState {
  const s = { ...state };
  switch (e.type) {
    case 'opened': {
      const started = e.payload.started_at ?? e.at;
      s.detected_at ??= e.at;
      s.started_at = Math.min(s.started_at ?? started, started);
      break;
    }
    case 'acknowledged':
      s.acknowledged_at ??= e.at;
      if (s.status === 'open' || s.status === 'reopened') s.status = 'acknowledged';
      break;
    case 'cause_identified':
      // A cause written down after the fix is a postmortem note, not the diagnose phase.
      if (s.resolved_at === null && s.status !== 'closed') s.diagnosed_at ??= e.at;
      s.cause = e.payload.cause;
      break;
    case 'remediation_started':
      if (s.status !== 'resolved' && s.status !== 'verifying' && s.status !== 'closed') s.status = 'mitigating';
      break;
    case 'verification_started':
    case 'verification_progress':
      if (s.status === 'resolved') s.status = 'verifying';
      break;
    case 'verification_failed':
      // The fix did not hold: back to mitigation; the next attempt (or a person) takes over.
      if (s.status !== 'closed') {
        s.status = 'mitigating';
        s.resolved_at = null;
      }
      break;
    case 'verified':
      if (s.status !== 'closed') {
        s.verified_at ??= e.at;
        s.closed_at = e.at;
        s.status = 'closed';
      }
      break;
    case 'reopened':
      s.status = 'reopened';
      s.resolved_at = null;
      s.verified_at = null;
      s.closed_at = null;
      s.reopen_count += 1;
      break;
    default:
      break;
  }
  if (isFix(e) && s.status !== 'closed') {
    s.resolved_at ??= e.at;
    if (s.status !== 'verifying') s.status = 'resolved';
  }
  return s;
}

/** Replays a whole timeline. */
export function deriveState(events: readonly EventLike[], initial: IncidentState = EMPTY_STATE): IncidentState {
  return events.reduce(applyEvent, initial);
}

/** State plus the phase durations, as stored on the incident row. */
export function withPhases(state: IncidentState): IncidentState & PhaseDurations {
  return { ...state, ...derivePhases(state) };
}
