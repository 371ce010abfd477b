import { formatDuration, type RemediationRule } from '../../config/index.js';
import { appendEvents, lockIncident, readEventBody, type Incident, type NewEvent } from '../../incidents/index.js';
import { fromJson, type Tx } from '../../store/index.js';
import { describeAction } from '../actions/index.js';
import type { ResolveContext } from '../context.js';
import { alertStillFiring } from './alerts.js';
import { insertAttempt, listAttempts, transitionAttempt, type RemediationAttempt } from './attempts.js';
import { attemptPayload } from './payload.js';
import type { RemediateJobPayload } from './reactor.js';
import { enabledRule } from './rules.js';

/**
 * The one decision of a remediation chain: given the rule's attempts on the incident so far, what
 * happens now. Made in one transaction with the incident's row locked (StoreDialect.lockRows; SQLite's
 * writer lock), so two workers deciding for the same incident take turns, and the attempt number it
 * allocates is unique in the database besides: `max_auto_attempts` can never be exceeded.
 *
 *   awaiting approval ─ expired? → approval_expired, escalated        else wait for the decision
 *   approved          → run it (if the alert still fires)
 *   running           → another worker runs it (wait), or it was cut off by a crash (failed)
 *   succeeded         → verification decides (done); once it failed, on to the next attempt
 *   failed            → the next attempt, after the cooldown, while attempts remain; else escalated
 *   rejected, expired, dry run, skipped → done
 */

export type Decision =
  | { kind: 'done'; why: string }
  | { kind: 'defer'; until: number; why: string }
  | { kind: 'run'; attempt: RemediationAttempt; rule: RemediationRule; incident: Incident };

/** How long past its timeout an attempt marked running may still be in the hands of a live worker. */
export const RUNNING_GRACE_MS = 30_000;

export async function decide(ctx: ResolveContext, p: RemediateJobPayload, jobId: number): Promise<Decision> {
  const { incidents } = ctx;
  return incidents.store.transaction(async (trx) => {
    const incident = await lockIncident(trx, incidents, p.incidentId);
    if (!incident) return { kind: 'done', why: 'the incident no longer exists' };
    const rule = enabledRule(ctx.config.remediation, p.rule);
    if (!rule) return { kind: 'done', why: `rule ${p.rule} no longer exists or is disabled` };
    if (incident.status === 'closed') return { kind: 'done', why: 'the incident is closed' };

    const now = incidents.clock.now();
    const attempts = await listAttempts(trx, incident.id, rule.name);
    let last = attempts.at(-1);
    const append = (events: NewEvent[]) => appendEvents(trx, incidents, incident, events);
    const base = (a: RemediationAttempt) => attemptPayload(rule, a);

    if (last) {
      switch (last.status) {
        case 'awaiting_approval': {
          const expiresAt = last.expiresAt ?? now;
          if (now < expiresAt) return { kind: 'defer', until: expiresAt, why: 'waiting for approval' };
          await transitionAttempt(trx, last.id, 'awaiting_approval', { status: 'expired', finishedAt: now });
          await append([
            { type: 'approval_expired', actor: 'system', payload: { ...base(last), requested_at: last.requestedAt } },
            escalation(rule, attempts.length, `no one approved ${rule.name} (attempt ${last.attempt}) within ${formatDuration(rule.action.approval_timeout)}`),
          ]);
          return { kind: 'done', why: 'approval expired' };
        }
        case 'approved': {
          if (!(await alertStillFiring(trx, incident.id, last.fingerprint))) {
            await transitionAttempt(trx, last.id, 'approved', { status: 'skipped', finishedAt: now, error: 'the alert is no longer firing' });
            await append([{ type: 'note', actor: rule.name, payload: { ...base(last), text: `approved ${rule.name} not run: the alert ${last.alertName ?? ''} is no longer firing` } }]);
            return { kind: 'done', why: 'the alert stopped firing before the approved action ran' };
          }
          await transitionAttempt(trx, last.id, 'approved', { status: 'running', startedAt: now });
          await append([{ type: 'remediation_started', actor: rule.name, payload: { ...base(last), approved_by: last.decidedBy } }]);
          return { kind: 'run', attempt: { ...last, status: 'running', startedAt: now }, rule, incident };
        }
        case 'running': {
          const staleAt = (last.startedAt ?? last.requestedAt) + rule.action.timeout + RUNNING_GRACE_MS;
          if (now < staleAt) return { kind: 'defer', until: staleAt, why: `attempt ${last.attempt} is running` };
          const error = 'interrupted: the worker running it stopped before it reported back';
          await transitionAttempt(trx, last.id, 'running', { status: 'failed', finishedAt: now, error });
          await append([{ type: 'remediation_finished', actor: rule.name, payload: { ...base(last), outcome: 'failed', ok: false, error } }]);
          last = { ...last, status: 'failed', finishedAt: now, error };
          break;
        }
        case 'succeeded':
          // Verification is under way (resolved_at is set) or the fix held; verification_failed clears it.
          if (incident.resolvedAt !== null) return { kind: 'done', why: 'verification decides whether the fix held' };
          break;
        case 'failed':
          break;
        default:
          return { kind: 'done', why: `attempt ${last.attempt} ended ${last.status}` };
      }
    }

    if (!(await alertStillFiring(trx, incident.id, p.fingerprint))) {
      // Actions run on firing alerts only. If an earlier attempt's fix did not hold (or it failed) and
      // nothing else is fixing the incident, automation stops here: people must hear of it.
      if (last && incident.resolvedAt === null && !(await alreadyEscalated(trx, incident.id, rule.name, attempts.length))) {
        await append([escalation(rule, attempts.length, `the alert ${p.alert} no longer fires, but recovery was not verified; ${rule.name} stops after ${attempts.length} attempt${attempts.length === 1 ? '' : 's'}`)]);
      }
      return { kind: 'done', why: 'the alert is no longer firing' };
    }
    if (attempts.length >= rule.action.max_auto_attempts) {
      if (!(await alreadyEscalated(trx, incident.id, rule.name, attempts.length))) {
        const reason = attempts.length === 0
          ? `${rule.name} allows no automatic attempts (max_auto_attempts: 0)`
          : `${rule.name} made ${attempts.length} of ${rule.action.max_auto_attempts} automatic attempt${rule.action.max_auto_attempts === 1 ? '' : 's'} and the service has not recovered`;
        await append([escalation(rule, attempts.length, reason)]);
      }
      return { kind: 'done', why: 'attempts ran out' };
    }
    if (last?.finishedAt != null && now < last.finishedAt + rule.action.cooldown) {
      return { kind: 'defer', until: last.finishedAt + rule.action.cooldown, why: 'cooldown' };
    }

    const a = rule.action;
    const would = () =>
      describeAction(a, { incident: { id: incident.id, service: incident.service, alertName: p.alert, severity: incident.severity, labels: p.labels }, services: ctx.config.services, baseDir: ctx.baseDir, redactor: ctx.redactor });
    const fresh = {
      incidentId: incident.id,
      rule: rule.name,
      attempt: attempts.length + 1,
      actionType: a.type,
      dryRun: a.dry_run,
      requestedAt: now,
      jobId,
      alertName: p.alert,
      fingerprint: p.fingerprint,
    };
    if (a.dry_run) {
      const output = `dry run: would ${would()}`;
      const attempt = await insertAttempt(trx, { ...fresh, status: 'dry_run', startedAt: now, finishedAt: now, output });
      await append([
        { type: 'remediation_started', actor: rule.name, payload: { ...base(attempt), dry_run: true } },
        { type: 'remediation_finished', actor: rule.name, payload: { ...base(attempt), dry_run: true, outcome: 'ok', ok: true, duration_ms: 0, output, would: would() } },
      ]);
      return { kind: 'done', why: 'dry run recorded' };
    }
    if (a.require_approval) {
      const attempt = await insertAttempt(trx, { ...fresh, status: 'awaiting_approval', expiresAt: now + a.approval_timeout });
      await append([{ type: 'approval_requested', actor: rule.name, payload: { ...base(attempt), would: would(), expires_at: attempt.expiresAt } }]);
      return { kind: 'defer', until: attempt.expiresAt!, why: 'waiting for approval' };
    }
    const attempt = await insertAttempt(trx, { ...fresh, status: 'running', startedAt: now });
    await append([{ type: 'remediation_started', actor: rule.name, payload: base(attempt) }]);
    return { kind: 'run', attempt, rule, incident };
  });
}

function escalation(rule: RemediationRule, attempts: number, reason: string): NewEvent {
  return { type: 'escalated', actor: rule.name, payload: { rule: rule.name, attempts, reason, ...(rule.action.notify ? { notify: rule.action.notify } : {}) } };
}

async function alreadyEscalated(trx: Tx, incidentId: number, rule: string, attempts: number): Promise<boolean> {
  const rows = await trx.selectFrom('incident_events').select(['type', 'payload']).where('incident_id', '=', incidentId).where('type', '=', 'escalated').execute();
  return rows.some((r) => {
    const e = readEventBody(r.type, fromJson(r.payload, {}));
    return e.type === 'escalated' && e.payload.rule === rule && e.payload.attempts === attempts;
  });
}
