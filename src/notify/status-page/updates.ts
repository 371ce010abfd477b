import { isFix, publicUpdatePayload, type EventLike, type EventType, type PublicStatus } from '../../incidents/index.js';

/**
 * An incident's public updates, from its timeline: the ones responders wrote (`public_update`), and,
 * when `show_automatic_updates` is on, one for each change of its public status that its phases make,
 * so nobody has to type while they work:
 *
 *   opened, reopened                      → investigating
 *   cause_identified (before the fix)     → identified
 *   a fix, verification_started           → monitoring
 *   verification_failed                   → identified (or investigating when no cause is known)
 *   verified                              → resolved
 *
 * The automatic words are fixed: nothing of the event (the cause, a step's output) is ever quoted.
 */

/** The events the public timeline is derived from; the rest of an incident's timeline is never read. */
export const PUBLIC_SOURCE_EVENTS: EventType[] = ['opened', 'reopened', 'cause_identified', 'resolved', 'remediation_finished', 'rolled_back', 'flag_changed', 'verification_started', 'verification_failed', 'verified', 'public_update'];

export interface DerivedUpdate {
  status: PublicStatus;
  message: string;
  at: number;
  automatic: boolean;
}

const AUTOMATIC: Record<PublicStatus, string> = {
  investigating: 'We are aware of a problem and are investigating.',
  identified: 'The cause has been identified and a fix is under way.',
  monitoring: 'A fix has been applied; we are watching the service recover.',
  resolved: 'The service has recovered. This incident is resolved.',
};
const REOPENED = 'The problem is back; we are investigating.';
const FIX_FAILED = 'The fix did not hold; we are still working on it.';


/**
 * Updates oldest first, and the public status they leave the incident in: the latest update's (null:
 * none yet). Without automatic updates, only written ones set it.
 */
export function publicTimeline(events: readonly EventLike[], showAutomatic: boolean): { updates: DerivedUpdate[]; status: PublicStatus | null } {
  const updates: DerivedUpdate[] = [];
  let phase: PublicStatus | null = null;
  let diagnosed = false;
  let status: PublicStatus | null = null;
  const move = (to: PublicStatus, at: number, message = AUTOMATIC[to]) => {
    if (to === phase) return;
    phase = to;
    if (!showAutomatic) return;
    status = to;
    updates.push({ status: to, message, at, automatic: true });
  };
  for (const e of events) {
    if (e.type === 'public_update') {
      // A stored payload that no longer matches its schema is read as stored (events.ts): never publish one.
      const written = publicUpdatePayload.safeParse(e.payload);
      if (!written.success) continue;
      status = written.data.status;
      updates.push({ status: written.data.status, message: written.data.message, at: e.at, automatic: false });
      continue;
    }
    if (e.type === 'opened') move('investigating', e.at);
    else if (e.type === 'reopened') {
      diagnosed = false;
      move('investigating', e.at, REOPENED);
    } else if (e.type === 'cause_identified') {
      // A cause written down after the fix is for the postmortem, as in the phases (derive.ts).
      if (phase === null || phase === 'investigating' || phase === 'identified') {
        diagnosed = true;
        move('identified', e.at);
      }
    } else if (e.type === 'verified') move('resolved', e.at);
    else if (e.type === 'verification_failed') {
      if (phase !== 'resolved') move(diagnosed ? 'identified' : 'investigating', e.at, FIX_FAILED);
    } else if (isFix(e) || e.type === 'verification_started') {
      if (phase !== 'resolved') move('monitoring', e.at);
    }
  }
  return { updates, status };
}
