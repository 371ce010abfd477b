import type { RemediationRule } from '../../config/index.js';
import { buildIncidentEnv, type IncidentRef } from '../../diagnose/steps/env.js';
import { appendEvents, lockIncident, type Incident } from '../../incidents/index.js';
import { jobHandler, type JobHandler, type JobResult } from '../../store/index.js';
import { executeAction, type ActionOutcome } from '../actions/index.js';
import type { ResolveContext } from '../context.js';
import { transitionAttempt, type RemediationAttempt } from './attempts.js';
import { decide } from './decide.js';
import { attemptPayload } from './payload.js';
import { REMEDIATE_JOB, remediateJobPayload, type RemediateJobPayload } from './reactor.js';

/**
 * The `resolve.remediate` job: one per incident and rule (and one more per failed verification). It
 * asks decide() what to do, runs the action outside any transaction (it may take a minute), records
 * the outcome, and decides again: after a failure that is the next attempt, a wait for the cooldown, or
 * the escalation. After a success it ends: the fix event sets resolved_at and verification takes over.
 */
export function remediationHandler(ctx: ResolveContext): JobHandler {
  return jobHandler(REMEDIATE_JOB, remediateJobPayload, async (job, { signal }): Promise<JobResult> => {
    const p = job.payload;
    // Each pass either ends the job, defers it, or runs one attempt; attempts are bounded by the rule.
    for (let pass = 0; pass <= 101; pass++) {
      const decision = await decide(ctx, p, job.id);
      if (decision.kind === 'done') {
        ctx.logger.debug({ incidentId: p.incidentId, rule: p.rule, why: decision.why }, 'remediation chain ends');
        return;
      }
      if (decision.kind === 'defer') return { deferUntil: decision.until };
      const outcome = await runAttempt(ctx, decision.rule, decision.attempt, decision.incident, p, signal);
      if (outcome.ok) return;
      if (signal.aborted) throw new Error('remediation interrupted: shutting down or the lease was lost');
    }
    throw new Error(`remediation of incident ${p.incidentId} by ${p.rule} did not settle`);
  });
}

async function runAttempt(ctx: ResolveContext, rule: RemediationRule, attempt: RemediationAttempt, incident: Incident, p: RemediateJobPayload, signal: AbortSignal): Promise<ActionOutcome> {
  const ref: IncidentRef = { id: incident.id, service: incident.service, alertName: p.alert, severity: incident.severity, labels: p.labels };
  const outcome = await executeAction(rule.action, {
    incident: ref,
    env: buildIncidentEnv(ref),
    signal,
    timeoutMs: rule.action.timeout,
    redactor: ctx.redactor,
    baseDir: ctx.baseDir,
    services: ctx.config.services,
    kubernetes: ctx.config.kubernetes,
    flags: ctx.flags,
    actor: rule.name,
  });
  const { incidents } = ctx;
  await incidents.store.transaction(async (trx) => {
    const current = await lockIncident(trx, incidents, incident.id);
    if (!current) return;
    const now = incidents.clock.now();
    const recorded = await transitionAttempt(trx, attempt.id, 'running', {
      status: outcome.ok ? 'succeeded' : 'failed',
      finishedAt: now,
      output: outcome.output,
      error: outcome.error ?? null,
      durationMs: outcome.durationMs,
      ...(outcome.details ? { details: outcome.details } : {}),
    });
    // Already recorded as interrupted by another worker that gave up on this one: say nothing twice.
    if (!recorded) return;
    await appendEvents(trx, incidents, current, [
      {
        type: 'remediation_finished',
        actor: rule.name,
        payload: {
          ...attemptPayload(rule, attempt),
          outcome: outcome.ok ? 'ok' : 'failed',
          ok: outcome.ok,
          duration_ms: Math.round(outcome.durationMs),
          output: outcome.output,
          ...(outcome.error !== undefined ? { error: outcome.error } : {}),
          ...(outcome.details ? { details: outcome.details } : {}),
          // A successful action is the fix: it sets resolved_at, and verification starts from it.
          ...(outcome.ok ? { fix: true } : {}),
        },
      },
    ]);
  });
  return outcome;
}
