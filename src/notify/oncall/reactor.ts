import { z } from 'zod';
import type { MedicConfig } from '../../config/index.js';
import { getTimeline, type IncidentEvent, type IncidentReactor } from '../../incidents/index.js';
import type { Db, JobQueue } from '../../store/index.js';
import { policyOf } from './policy.js';

/**
 * Escalation starts from the timeline, in the transaction that wrote the event:
 *
 * - `page: immediately`: the incident opens (or reopens) → paging starts.
 * - `page: on_escalation` (the default): automation gives up or waits for a person — `escalated`
 *   (attempts exhausted, a fix that did not verify with nothing left to try) or `approval_requested` —
 *   → paging starts. When the incident opens, a job waits for the diagnosis: if no remediation rule
 *   matched it, paging starts once the runbook reports are in (so the page carries them); if one did,
 *   nobody is paged while it works (its escalation will page).
 *
 * One escalation per incident at a time: a trigger while one runs joins it. Each `paged` event (one per
 * person and contact, or channel) gets a delivery job, in the same transaction, keyed by the event, so a
 * page is delivered once whatever restarts.
 */

export const ESCALATE_JOB = 'oncall.escalate';
export const PAGE_JOB = 'oncall.page';

export const escalateJobPayload = z.object({
  incidentId: z.number().int(),
  policy: z.string(),
  /** The id of the event that started it: pages of this escalation carry it. */
  episode: z.number().int(),
  /** `await_diagnosis`: on_escalation at open, deciding whether to page once the runbooks reported. */
  phase: z.enum(['await_diagnosis', 'paging']),
  /** When paging started: the first level is due its `after` from here. */
  since: z.number(),
  /** Why people are paged, for the page. */
  reason: z.string(),
});
export type EscalateJobPayload = z.infer<typeof escalateJobPayload>;

export const pageJobPayload = z.object({
  incidentId: z.number().int(),
  /** The `paged` event this delivers. */
  eventId: z.number().int(),
});
type PageJobPayload = z.infer<typeof pageJobPayload>;

/** A handler error (a database hiccup) is retried; an escalation is never dropped for one. */
const ESCALATE_JOB_ATTEMPTS = 10;

type Trigger = Pick<EscalateJobPayload, 'phase' | 'reason'>;

function triggerOf(page: 'immediately' | 'on_escalation', e: IncidentEvent): Trigger | undefined {
  const opened = e.type === 'opened' || e.type === 'reopened';
  if (page === 'immediately') return opened ? { phase: 'paging', reason: `the incident ${e.type}` } : e.type === 'escalated' ? { phase: 'paging', reason: String(e.payload.reason ?? 'escalated') } : undefined;
  if (opened) return { phase: 'await_diagnosis', reason: 'no remediation rule matched: over to people' };
  if (e.type === 'escalated') return { phase: 'paging', reason: String(e.payload.reason ?? 'escalated') };
  if (e.type === 'approval_requested') return { phase: 'paging', reason: `${String(e.payload.rule ?? 'a remediation')} waits for approval: ${String(e.payload.would ?? '')}`.trim() };
  return undefined;
}

export function escalationReactor(config: Pick<MedicConfig, 'services' | 'oncall' | 'delivery'>, queue: JobQueue, now: () => number): IncidentReactor {
  return {
    name: 'oncall',
    async onEvents(db, incident, events) {
      const policy = policyOf(config, incident.service);
      for (const e of events) {
        if (e.type === 'paged' && typeof e.payload.contact === 'string') {
          const payload: PageJobPayload = { incidentId: incident.id, eventId: e.id };
          await queue.enqueue(db, { kind: PAGE_JOB, incidentId: incident.id, payload, idempotencyKey: `page:${e.id}`, maxAttempts: config.delivery.max_attempts }, now());
        }
        // A runbook report is in: an escalation waiting for the diagnosis looks again now.
        if (e.type === 'runbook_finished') await wakeWaiting(db, queue, incident.id, now());
        const trigger = policy && triggerOf(policy.page, e);
        if (!trigger || incident.acknowledgedAt !== null || incident.status === 'closed') continue;
        if (await escalating(db, queue, incident.id)) continue;
        const payload: EscalateJobPayload = { incidentId: incident.id, policy: policy.name, episode: e.id, since: now(), ...trigger };
        await queue.enqueue(db, { kind: ESCALATE_JOB, incidentId: incident.id, payload, idempotencyKey: `escalate:${e.id}`, maxAttempts: ESCALATE_JOB_ATTEMPTS }, now());
      }
    },
  };
}

/**
 * Whether an escalation of the incident is paging (or about to: one that waited for the diagnosis and
 * paged its first step). One still waiting for the diagnosis does not count: a trigger that comes
 * meanwhile (an approval waits) starts paging, and the waiting one then steps aside.
 */
export async function escalating(db: Db, queue: JobQueue, incidentId: number, except?: number, timeline?: IncidentEvent[]): Promise<boolean> {
  const waiting: number[] = [];
  for (const j of await queue.list(db, { kind: ESCALATE_JOB, incidentId })) {
    if (j.id === except || (j.status !== 'pending' && j.status !== 'running')) continue;
    const p = escalateJobPayload.safeParse(j.payload);
    if (!p.success) continue;
    if (p.data.phase === 'paging') return true;
    waiting.push(p.data.episode);
  }
  if (waiting.length === 0) return false;
  // Its payload says so only once the run that paged is over; its pages (or a level's note) say so at once.
  return (timeline ?? (await getTimeline(db, incidentId))).some((e) => (e.type === 'paged' || e.type === 'note') && e.payload.episode !== undefined && waiting.includes(e.payload.episode));
}

async function wakeWaiting(db: Db, queue: JobQueue, incidentId: number, now: number): Promise<void> {
  for (const j of await queue.list(db, { kind: ESCALATE_JOB, incidentId })) {
    if ((j.status === 'pending' || j.status === 'running') && escalateJobPayload.safeParse(j.payload).data?.phase === 'await_diagnosis') await queue.wake(db, j.id, now);
  }
}
