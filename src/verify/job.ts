import { z } from 'zod';
import { formatDuration } from '../config/index.js';
import { appendToIncident, getIncident, SYSTEM, type NewEvent } from '../incidents/index.js';
import { jobHandler, type JobHandler, type JobResult } from '../store/index.js';
import type { VerifyContext } from './context.js';
import { evaluateRecovery, formatPercent, nothingToWatch, watchersOf } from './evaluate.js';
import { advance, startProgress, verificationProgress } from './progress.js';
import { progressPayload } from './progress-event.js';
import { verificationSettings } from './settings.js';

/**
 * The `verify.service` job: one per fix. Every `interval` it evaluates the service and writes a
 * `verification_progress` event; healthy for `stable_for` ⇒ `verified` (the incident closes); not
 * healthy by the end of `window` ⇒ `verification_failed` (remediation's next attempt, or people). Its
 * progress lives in the job's payload between evaluations, so a restart continues where it was.
 */

export const VERIFY_JOB = 'verify.service';

export const verifyJobPayload = z.object({
  incidentId: z.number().int(),
  /** The fix event this verification belongs to (null for one started by hand). */
  fixEventId: z.number().int().nullable(),
  /** When the fix was applied (the incident's resolved_at then): the window starts here. */
  since: z.number(),
  progress: verificationProgress.optional(),
});
export type VerifyJobPayload = z.infer<typeof verifyJobPayload>;

export function verificationHandler(ctx: VerifyContext): JobHandler {
  return jobHandler(VERIFY_JOB, verifyJobPayload, async (job, { signal }): Promise<JobResult> => {
    const p = job.payload;
    const { store, clock } = ctx.incidents;
    const incident = await getIncident(store.db, p.incidentId);
    if (!incident || incident.status === 'closed') return;
    // Superseded: the fix it verifies was undone (verification_failed, reopened), maybe by a newer one.
    if (p.fixEventId !== null && incident.resolvedAt !== p.since) return;

    const now = clock.now();
    const settings = verificationSettings(ctx.config, incident.service);
    const watchers = await watchersOf(store.db, ctx.config, incident.service);
    const service = incident.service ?? '(no service)';
    const append = (events: NewEvent[]) => appendToIncident(ctx.incidents, incident.id, events);

    if (nothingToWatch(watchers)) {
      await append([
        {
          type: 'verified',
          actor: SYSTEM,
          payload: { service: incident.service, nothing_to_watch: true, message: `nothing to watch: ${service} has no monitors and no metrics, so the fix is taken as verified` },
        },
      ]);
      return;
    }

    let progress = p.progress ?? startProgress(p.since, settings);
    if (!p.progress) {
      await append([
        {
          type: 'verification_started',
          actor: SYSTEM,
          payload: {
            service: incident.service,
            window_ms: settings.window,
            interval_ms: settings.interval,
            max_error_rate: settings.max_error_rate,
            max_latency_p95_ms: settings.max_latency_p95,
            ...(settings.stable_for !== undefined ? { stable_for_ms: settings.stable_for } : {}),
            watching: [...(watchers.monitors ? ['monitors'] : []), ...(watchers.errorRate ? ['error rate'] : []), ...(watchers.latency ? ['p95 latency'] : [])],
          },
        },
      ]);
    }

    const evaluation = await evaluateRecovery(store.db, ctx.config, { service: incident.service!, since: progress.since, at: now, settings, watchers, signal });
    const advanced = advance(progress, evaluation, settings);
    progress = advanced.progress;
    const events: NewEvent[] = [{ type: 'verification_progress', actor: SYSTEM, payload: progressPayload(evaluation, progress, settings) }];
    if (advanced.step.outcome === 'verified') {
      events.push({
        type: 'verified',
        actor: SYSTEM,
        payload: { service: incident.service, evaluations: progress.evaluations, message: `✓ ${service} is healthy (${evaluation.line}). Recovery confirmed.` },
      });
    } else if (advanced.step.outcome === 'failed') {
      events.push({
        type: 'verification_failed',
        actor: SYSTEM,
        payload: {
          service: incident.service,
          evaluations: progress.evaluations,
          reason: `✗ ${service} did not recover within ${formatDuration(settings.window)} (last: ${evaluation.line}; healthy means error rate under ${formatPercent(settings.max_error_rate)}, p95 under ${settings.max_latency_p95} ms, monitors passing)`,
        },
      });
    }
    await append(events);
    if (advanced.step.outcome === 'continue') return { deferUntil: advanced.step.nextAt, payload: { ...p, progress } };
  });
}
