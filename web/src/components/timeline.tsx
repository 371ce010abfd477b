import type { TimelineEvent } from '../../../src/server/responses/incidents';
import { clock, duration } from './format';

/**
 * The incident's timeline, readable: one line per event in words, repeated events (an alert storm)
 * folded into one line with a count, and long output (runbook steps, remediation) folded away.
 */

/** A flag change's new state, whether the event says it directly or as before/after. */
export function flagEnabled(p: Record<string, unknown>): boolean | undefined {
  if (typeof p.enabled === 'boolean') return p.enabled;
  const after = p.after as { enabled?: unknown } | undefined;
  return typeof after?.enabled === 'boolean' ? after.enabled : undefined;
}

const s = (v: unknown) => (v === undefined || v === null ? '' : String(v));

function sentence(e: TimelineEvent): string {
  const p = e.payload;
  switch (e.type) {
    case 'opened': return `Incident opened from ${s(p.source)} alert ${s(p.alert)}`;
    case 'alert_fired': return `Alert ${s(p.alert)} fired${p.summary ? ` — ${s(p.summary)}` : ''}`;
    case 'alert_resolved': return `Alert ${s(p.alert)} resolved (${s(p.still_firing)} still firing)`;
    case 'check_failed': return `Check failed: ${s(p.error ?? p.assertion ?? p.monitor)}`;
    case 'check_recovered': return `Check recovered: ${s(p.monitor)}`;
    case 'acknowledged': return 'Acknowledged';
    case 'cause_identified': return `Cause: ${s(p.cause)}`;
    case 'runbook_started': return `Runbook ${s(p.runbook)} started`;
    case 'runbook_step_finished': return `${s(p.runbook)} › ${s(p.step)}: ${p.ok ? 'ok' : 'failed'}${p.duration_ms !== undefined ? ` in ${duration(Number(p.duration_ms))}` : ''}`;
    case 'runbook_finished': return `Runbook ${s(p.runbook)} finished`;
    case 'remediation_matched': return `Remediation rule ${s(p.rule)} matched`;
    case 'remediation_started': return `Remediation ${s(p.rule)} started (attempt ${s(p.attempt)}${p.dry_run ? ', dry run' : ''})`;
    case 'remediation_finished': return `Remediation ${s(p.rule)} ${p.ok ? 'succeeded' : 'failed'}${p.dry_run ? ' (dry run)' : ''}${p.error ? `: ${s(p.error)}` : ''}`;
    case 'approval_requested': return `Approval requested for ${s(p.rule)}`;
    case 'approved': return `Approved ${s(p.rule)}`;
    case 'rejected': return `Rejected ${s(p.rule)}`;
    case 'approval_expired': return `Approval for ${s(p.rule)} expired`;
    case 'escalated': return `Escalated${p.reason ? `: ${s(p.reason)}` : ''}`;
    case 'flag_changed': {
      const on = flagEnabled(p);
      return `${p.correlated ? 'Suspect flag change: ' : ''}Flag ${s(p.flag)} ${on === false ? 'switched off' : on === true ? 'switched on' : 'changed'}${p.reason ? ` — ${s(p.reason)}` : ''}`;
    }
    case 'deployment_correlated': return `Suspect deployment: ${s(p.service)} ${s(p.version)}${p.deployed_at ? ` at ${clock(Number(p.deployed_at))}` : ''}`;
    case 'rolled_back': return `Rolled back ${s(p.service)}`;
    case 'symptom_joined': return `Symptom on ${s(p.service)} (${s(p.alert)}) joined: depends on ${s(p.depends_on)}`;
    case 'resolved': return `Resolved${p.note ? `: ${s(p.note)}` : ''}`;
    case 'verification_started': return 'Verification started';
    case 'verification_progress': return `Verifying: ${s(p.summary ?? p.line)}`;
    case 'verified': return p.message ? s(p.message) : 'Recovery verified';
    case 'verification_failed': return `Verification failed${p.reason ? `: ${s(p.reason)}` : ''}`;
    case 'reopened': return 'Reopened: it fired again soon after closing';
    case 'note': return `Note: ${s(p.text)}`;
    case 'public_update': return `Public update (${s(p.status)}): ${s(p.message)}`;
    case 'notification_sent': return `Notified ${s(p.channel)} (${s(p.event)})`;
    case 'notification_failed': return `Could not notify ${s(p.channel)}: ${s(p.reason)}`;
    default: return e.type.replace(/_/g, ' ');
  }
}

function output(e: TimelineEvent): string | undefined {
  const o = e.payload.output;
  return typeof o === 'string' && o.trim() ? o : undefined;
}

interface Row {
  first: TimelineEvent;
  count: number;
}

/**
 * Consecutive events of the same kind and actor about the same thing fold into one row. Verification
 * progress does not: each evaluation has figures of its own.
 */
function fold(events: TimelineEvent[]): Row[] {
  const rows: Row[] = [];
  for (const e of events) {
    const last = rows.at(-1);
    const same = last && last.first.type === e.type && last.first.actor === e.actor && ['alert_fired', 'check_failed', 'notification_sent'].includes(e.type) && last.first.payload.alert === e.payload.alert;
    if (same) last.count++;
    else rows.push({ first: e, count: 1 });
  }
  return rows;
}

export function Timeline({ events, origin }: { events: TimelineEvent[]; origin: number | null }) {
  return (
    <ol className="timeline">
      {fold(events).map(({ first: e, count }) => {
        const out = output(e);
        const rel = origin === null ? '' : `${e.at < origin ? '−' : '+'}${duration(Math.abs(e.at - origin))}`;
        return (
          <li key={e.id} className={`ev ev-${e.type}`}>
            <time dateTime={new Date(e.at).toISOString()} title={clock(e.at)}>
              {rel}
            </time>
            <div>
              <span className="what">
                {sentence(e)}
                {count > 1 && <small className="count"> ×{count}</small>}
              </span>
              <span className="who">{e.actor}</span>
              {out && (
                <details>
                  <summary>output</summary>
                  <pre>{out}</pre>
                </details>
              )}
            </div>
          </li>
        );
      })}
    </ol>
  );
}
