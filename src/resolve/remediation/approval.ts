import { appendEvents, IncidentActionError, lockIncident } from '../../incidents/index.js';
import type { ResolveContext } from '../context.js';
import { getAttempt, transitionAttempt, type RemediationAttempt } from './attempts.js';
import { attemptPayload } from './payload.js';
import { enabledRule } from './rules.js';

/**
 * A responder's answer to an `approval_requested` attempt (API, CLI or UI). Approving records
 * `approved` and wakes the attempt's job, which runs the action; rejecting records `rejected` and the
 * chain of that rule ends (a person has taken over). An answer after `approval_timeout` is refused: the
 * job records the expiry.
 */

export interface ApprovalInput {
  attemptId: number;
  actor: string;
  /** When given (the API's /incidents/:id/…), the attempt must belong to this incident. */
  incidentId?: number;
  reason?: string;
}

export function approveAttempt(ctx: ResolveContext, input: ApprovalInput): Promise<RemediationAttempt> {
  return decideApproval(ctx, input, 'approved');
}

export function rejectAttempt(ctx: ResolveContext, input: ApprovalInput): Promise<RemediationAttempt> {
  return decideApproval(ctx, input, 'rejected');
}

async function decideApproval(ctx: ResolveContext, input: ApprovalInput, decision: 'approved' | 'rejected'): Promise<RemediationAttempt> {
  const { incidents, queue } = ctx;
  return incidents.store.transaction(async (trx) => {
    const found = await getAttempt(trx, input.attemptId);
    if (!found || (input.incidentId !== undefined && found.incidentId !== input.incidentId)) {
      throw new IncidentActionError('not_found', `no remediation attempt ${input.attemptId}${input.incidentId !== undefined ? ` on incident ${input.incidentId}` : ''}`);
    }
    const incident = await lockIncident(trx, incidents, found.incidentId);
    // Read again under the incident's lock: the job may have just expired it.
    const attempt = (await getAttempt(trx, input.attemptId))!;
    if (!incident) throw new IncidentActionError('not_found', `no incident ${found.incidentId}`);
    if (attempt.status !== 'awaiting_approval') {
      throw new IncidentActionError('conflict', `remediation attempt ${attempt.id} is ${attempt.status.replace('_', ' ')}, not awaiting approval`);
    }
    const now = incidents.clock.now();
    // Too late: the job deferred itself to this very moment and records the expiry when it runs.
    if (attempt.expiresAt !== null && now >= attempt.expiresAt) {
      throw new IncidentActionError('conflict', `the approval request for attempt ${attempt.id} expired at ${new Date(attempt.expiresAt).toISOString()}`);
    }
    const rule = enabledRule(ctx.config.remediation, attempt.rule);
    if (!rule && decision === 'approved') throw new IncidentActionError('conflict', `rule ${attempt.rule} no longer exists or is disabled`);
    await transitionAttempt(trx, attempt.id, 'awaiting_approval', { status: decision, decidedBy: input.actor, ...(decision === 'rejected' ? { finishedAt: now } : {}) });
    const payload = rule ? attemptPayload(rule, attempt) : { rule: attempt.rule, attempt: attempt.attempt, attempt_id: attempt.id };
    await appendEvents(trx, incidents, incident, [{ type: decision, actor: input.actor, payload: { ...payload, ...(input.reason ? { reason: input.reason } : {}) } }]);
    if (attempt.jobId !== null) await queue.wake(trx, attempt.jobId, now);
    return { ...attempt, status: decision, decidedBy: input.actor };
  });
}
