import { z } from 'zod';
import type { MedicConfig, Redactor, RemediationRule } from '../../config/index.js';
import type { EventPayload, Incident, IncidentEventOf, IncidentReactor, NewEvent } from '../../incidents/index.js';
import type { Db, JobQueue } from '../../store/index.js';
import { describeAction, type DescribeContext } from '../actions/index.js';
import { alertLabels } from './alerts.js';
import { listAttempts } from './attempts.js';
import { enabledRule, matchingRules, ruleCause } from './rules.js';

/**
 * Remediation starts from the timeline, in the transaction that wrote the event:
 *
 * - `alert_fired`: each enabled rule matching the alert is a known failure pattern. The first time it
 *   matches the incident (per reopen), the cause is recorded (`cause_identified` by the rule: that is
 *   diagnosed_at), `remediation_matched` says what will happen, and a `resolve.remediate` job drives the
 *   attempts. Alerts firing again join the same chain; the idempotency key makes sure of that.
 * - `verification_failed`: the fix did not hold. Each rule whose last attempt had succeeded gets a job
 *   for its next attempt, due once its cooldown has passed (the job escalates when none are left or the
 *   alert stopped firing). When no automation is left at all, the incident escalates now.
 */

export const REMEDIATE_JOB = 'resolve.remediate';

export const remediateJobPayload = z.object({
  incidentId: z.number().int(),
  rule: z.string(),
  alert: z.string(),
  fingerprint: z.string(),
  labels: z.record(z.string(), z.string()),
});
export type RemediateJobPayload = z.infer<typeof remediateJobPayload>;

/** A handler error (a database hiccup) is retried; actions failing are outcomes, not errors. */
const REMEDIATE_JOB_ATTEMPTS = 5;

export interface RemediationReactorDeps {
  config: Pick<MedicConfig, 'remediation' | 'services'>;
  queue: JobQueue;
  now: () => number;
  redactor: Redactor;
  baseDir: string;
}

export function remediationReactor(deps: RemediationReactorDeps): IncidentReactor {
  return {
    name: 'remediation',
    async onEvents(db, incident, events) {
      const followUps: NewEvent[] = [];
      for (const e of events) {
        if (e.type === 'alert_fired') followUps.push(...(await onAlertFired(db, deps, incident, e)));
        else if (e.type === 'verification_failed') followUps.push(...(await onVerificationFailed(db, deps, incident)));
      }
      return followUps;
    },
  };
}

async function onAlertFired(db: Db, deps: RemediationReactorDeps, incident: Incident, e: IncidentEventOf<'alert_fired'>): Promise<NewEvent[]> {
  if (deps.config.remediation.length === 0 || incident.status === 'closed') return [];
  const name = e.payload.alert;
  const fingerprint = e.payload.fingerprint ?? incident.fingerprint;
  const { labels } = await alertLabels(db, incident, fingerprint, name);
  const out: NewEvent[] = [];
  for (const rule of matchingRules(deps.config.remediation, { name, labels })) {
    const payload: RemediateJobPayload = { incidentId: incident.id, rule: rule.name, alert: name, fingerprint, labels };
    const jobId = await deps.queue.enqueue(
      db,
      { kind: REMEDIATE_JOB, incidentId: incident.id, payload, idempotencyKey: `remediate:${incident.id}:${rule.name}:${incident.reopenCount}`, maxAttempts: REMEDIATE_JOB_ATTEMPTS },
      deps.now(),
    );
    if (jobId === undefined) continue; // this rule already works on this incident
    const notify = rule.action.notify ? { notify: rule.action.notify } : {};
    const describeCtx: DescribeContext & { redactor: Redactor } = {
      incident: { id: incident.id, service: incident.service, alertName: name, severity: incident.severity, labels },
      services: deps.config.services,
      baseDir: deps.baseDir,
      redactor: deps.redactor,
    };
    out.push(
      { type: 'cause_identified', actor: rule.name, payload: { cause: ruleCause(rule), by: 'remediation', rule: rule.name, alert: name } },
      {
        type: 'remediation_matched',
        actor: rule.name,
        payload: {
          rule: rule.name,
          alert: name,
          fingerprint,
          action: rule.action.type,
          would: describeAction(rule.action, describeCtx),
          ...safeguardsOf(rule),
          job_id: jobId,
          ...notify,
        },
      },
    );
  }
  return out;
}

function safeguardsOf(rule: RemediationRule): Partial<EventPayload<'remediation_matched'>> {
  const a = rule.action;
  return {
    max_auto_attempts: a.max_auto_attempts,
    cooldown_ms: a.cooldown,
    timeout_ms: a.timeout,
    ...(a.dry_run ? { dry_run: true } : {}),
    ...(a.require_approval ? { require_approval: true, approval_timeout_ms: a.approval_timeout } : {}),
  };
}

async function onVerificationFailed(db: Db, deps: RemediationReactorDeps, incident: Incident): Promise<NewEvent[]> {
  const attempts = await listAttempts(db, incident.id);
  const lastByRule = new Map<string, (typeof attempts)[number]>();
  for (const a of attempts) lastByRule.set(a.rule, a);
  let continuing = 0;
  for (const last of lastByRule.values()) {
    const rule = enabledRule(deps.config.remediation, last.rule);
    if (!rule || last.status !== 'succeeded' || last.dryRun) continue;
    const { labels } = await alertLabels(db, incident, last.fingerprint ?? incident.fingerprint, last.alertName ?? incident.alertName ?? '');
    const payload: RemediateJobPayload = { incidentId: incident.id, rule: rule.name, alert: last.alertName ?? incident.alertName ?? '', fingerprint: last.fingerprint ?? incident.fingerprint, labels };
    const runAt = Math.max(deps.now(), (last.finishedAt ?? deps.now()) + rule.action.cooldown);
    await deps.queue.enqueue(
      db,
      { kind: REMEDIATE_JOB, incidentId: incident.id, payload, runAt, idempotencyKey: `remediate:${incident.id}:${rule.name}:after:${last.attempt}`, maxAttempts: REMEDIATE_JOB_ATTEMPTS },
      deps.now(),
    );
    continuing++;
  }
  if (continuing > 0) return [];
  // A remediation chain still under way (waiting for its cooldown or an approval) will escalate itself.
  const pending = await db
    .selectFrom('jobs')
    .select('id')
    .where('incident_id', '=', incident.id)
    .where('kind', '=', REMEDIATE_JOB)
    .where('status', 'in', ['pending', 'running'])
    .executeTakeFirst();
  if (pending) return [];
  return [{ type: 'escalated', actor: 'system', payload: { reason: 'recovery was not verified and no automatic remediation is left: over to people' } }];
}
