import { formatDuration } from '../config/units.js';
import type { EventBody, EventPayload, EventType } from './events.js';

/**
 * Each timeline event in one line of words, the same wherever it is shown: `medic incident show`, the
 * postmortem draft, notification details and the web UI (the API's timeline entries carry the line as
 * `text`). One describer per event type; the table's type makes a missing one a compile error.
 */

type Described<T extends EventType> = EventBody & { type: T; payload: EventPayload<T>; actor: string };
type Describers = { [T in EventType]: (p: EventPayload<T>, e: Described<T>) => string };

const took = (ms: number | undefined) => (ms === undefined ? '' : ` in ${formatDuration(ms)}`);
const after = (prefix: string, v: string | null | undefined) => (v ? `${prefix}${v}` : '');

/** A flag change's direction: switched on or off when `enabled` changed, otherwise changed (rollout, definition). */
function flagChange(p: EventPayload<'flag_changed'>): string {
  const was = p.before?.enabled;
  const now = p.after?.enabled;
  if (now !== undefined && now !== was) return now ? 'switched on' : 'switched off';
  return 'changed';
}

export const EVENT_DESCRIBERS: Describers = {
  opened: (p) => {
    const from = [p.source, p.alert && `alert ${p.alert}`].filter(Boolean).join(' ');
    return `incident opened${from ? ` (${from})` : ''}`;
  },
  alert_fired: (p) => `alert ${p.alert} fired${after(': ', p.summary)}`,
  alert_resolved: (p) => `alert ${p.alert} resolved${p.still_firing === undefined ? '' : ` (${p.still_firing} still firing)`}`,
  check_recovered: (p) => `check recovered: ${p.monitor}${after(' at ', p.location)}`,
  acknowledged: () => 'acknowledged',
  runbook_started: (p, e) => `runbook ${p.runbook || e.actor} started`,
  runbook_step_finished: (p) => `runbook step ${p.step}: ${p.ok ? 'ok' : 'failed'}${took(p.duration_ms)}`,
  runbook_finished: (p, e) => `runbook ${p.runbook || e.actor} finished`,
  cause_identified: (p) => `cause identified: ${p.cause}`,
  remediation_matched: (p) => `remediation rule ${p.rule} matched`,
  remediation_started: (p) => `remediation ${p.rule} started${p.attempt === undefined ? (p.dry_run ? ' (dry run)' : '') : ` (attempt ${p.attempt}${p.dry_run ? ', dry run' : ''})`}`,
  remediation_finished: (p) => `remediation ${p.rule} ${p.ok ? 'succeeded' : 'failed'}${p.dry_run ? ' (dry run)' : ''}${after(': ', p.error)}`,
  approval_requested: (p) => `approval requested for ${p.rule}`,
  approved: (p) => `approved ${p.rule}${after(': ', p.reason)}`,
  rejected: (p) => `rejected ${p.rule}${after(': ', p.reason)}`,
  approval_expired: (p) => `approval for ${p.rule} expired`,
  escalated: (p) => `escalated${after(': ', p.reason)}`,
  flag_changed: (p) => `${p.correlated ? 'suspect: ' : ''}flag ${p.flag} ${flagChange(p)}${p.fix ? ' (the fix)' : ''}${after(' — ', p.reason)}`,
  deployment_correlated: (p) => `suspect: deployment of ${p.service} ${p.version}${p.minutes_before_start === undefined ? '' : `, ${p.minutes_before_start} min before impact`}`,
  rolled_back: (p) => (p.ok ? `rolled back ${p.service}${after(' to ', p.version)}` : `rollback of ${p.service} failed${after(': ', p.error)}`),
  symptom_joined: (p) => `symptom on ${p.service} (${p.alert}) joined: it depends on ${p.depends_on}`,
  resolved: (p) => `resolved${after(': ', p.note)}`,
  verification_started: (p) => `verification started${p.watching?.length ? ` (watching ${p.watching.join(', ')})` : ''}`,
  // Events written before the summary existed carry only the short line.
  verification_progress: (p) => `verifying: ${p.summary ?? p.line}`,
  verified: (p) => p.message || 'recovery verified',
  verification_failed: (p) => `verification failed${after(': ', p.reason)}`,
  reopened: () => 'reopened: it fired again soon after closing',
  note: (p) => `note: ${p.text}`,
  public_update: (p) => `public update (${p.status}): ${p.message}`,
  notification_sent: (p) => `notified ${p.channel} (${p.event})`,
  notification_failed: (p) => `could not notify ${p.channel}${after(': ', p.reason)}`,
  paged: (p) => `paged ${p.person ?? p.channel ?? p.target} (${p.contact}), level ${p.level} of ${p.policy}${p.round > 1 ? `, round ${p.round}` : ''}`,
  escalation_exhausted: (p) => `escalation ${p.policy} ran out: ${p.reason}`,
};

/**
 * One line for an event. A type this Medic does not know (written by a newer one), or a stored payload
 * too unlike its schema to describe, reads as the type's name.
 */
export function describeEvent(e: EventBody & { actor: string }): string {
  const describe = (EVENT_DESCRIBERS as Record<string, ((p: unknown, e: unknown) => string) | undefined>)[e.type];
  try {
    if (describe) return describe(e.payload, e);
  } catch {
    // Falls through to the name.
  }
  return String(e.type).replace(/_/g, ' ');
}
