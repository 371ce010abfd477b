import { z } from 'zod';
import type { RunbookConfig } from '../../config/index.js';
import type { IncidentReactor } from '../../incidents/index.js';
import type { JobQueue } from '../../store/index.js';
import { matchingRunbooks } from './match.js';

/**
 * When an incident opens (or reopens), one `diagnose.runbook` job per matching runbook, in the
 * transaction that opened it. The idempotency key holds the reopen count, so each runbook runs once per
 * incident and once more per reopen, however often its alerts fire again.
 */

export const RUNBOOK_JOB = 'diagnose.runbook';

export const runbookJobPayload = z.object({
  incidentId: z.number().int(),
  runbook: z.string(),
  /** Which run this is: the incident's reopen count when it was enqueued (0 for the first). */
  run: z.number().int().nonnegative(),
});
export type RunbookJobPayload = z.infer<typeof runbookJobPayload>;

/** A runbook job is a whole diagnosis; a crash reruns it, but not forever. */
const RUNBOOK_JOB_ATTEMPTS = 3;

export function runbookReactor(config: { runbooks: readonly RunbookConfig[] }, queue: JobQueue, now: () => number): IncidentReactor {
  return {
    name: 'runbooks',
    async onEvents(db, incident, events) {
      if (config.runbooks.length === 0 || !events.some((e) => e.type === 'opened' || e.type === 'reopened')) return;
      for (const runbook of matchingRunbooks(config.runbooks, incident.labels)) {
        const payload: RunbookJobPayload = { incidentId: incident.id, runbook: runbook.name, run: incident.reopenCount };
        await queue.enqueue(
          db,
          { kind: RUNBOOK_JOB, incidentId: incident.id, payload, idempotencyKey: `runbook:${incident.id}:${runbook.name}:${incident.reopenCount}`, maxAttempts: RUNBOOK_JOB_ATTEMPTS },
          now(),
        );
      }
    },
  };
}
