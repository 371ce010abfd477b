import type { EscalationPolicyConfig, MedicConfig } from '../../config/index.js';
import { appendEvents, getTimeline, lockIncident, SYSTEM, type Incident, type IncidentContext, type IncidentEvent, type NewEvent } from '../../incidents/index.js';
import type { Logger } from '../../shared/logger.js';
import { jobHandler, type JobHandler, type JobQueue, type JobResult, type Tx } from '../../store/index.js';
import { contactsOf } from './contacts.js';
import { resolveTarget, targetText } from './overview.js';
import { stepsOf, waitBefore, type Step } from './policy.js';
import { ESCALATE_JOB, escalateJobPayload, escalating, type EscalateJobPayload } from './reactor.js';
import { RUNBOOK_JOB, runbookJobPayload, type RunbookJobPayload } from '../../diagnose/runbooks/reactor.js';

/**
 * The `oncall.escalate` job: one per escalation, run at each step's time. Each run decides in one
 * transaction, with the incident's row locked (acknowledging takes the same lock), so a page is never
 * sent after the acknowledgement that should have stopped it:
 *
 *   acknowledged, resolved (a fix is being verified) or closed → stop
 *   waiting for the diagnosis (on_escalation) → a remediation rule matched: stop; runbooks still
 *                                                running: wait (at most MAX_DIAGNOSIS_WAIT_MS); else page
 *   the next step is due → `paged` events for its people and channels (their delivery jobs follow)
 *   every step paged and the round gap passed → `escalation_exhausted`
 *
 * Progress is read from the timeline (the steps this escalation already paged), not kept in the job: a
 * run repeated after a crash finds its step paged and moves on, so no page is lost or sent twice.
 */

export interface OncallContext {
  incidents: IncidentContext;
  queue: JobQueue;
  config: Pick<MedicConfig, 'oncall' | 'people' | 'services' | 'notifications' | 'delivery' | 'server'>;
  logger: Logger;
}

/** How long an escalation waits for runbook reports before it pages without them. */
export const MAX_DIAGNOSIS_WAIT_MS = 5 * 60_000;
/** While runbooks run, how often to look again (their report also wakes the job at once). */
const DIAGNOSIS_POLL_MS = 15_000;

export function escalationHandler(ctx: OncallContext): JobHandler {
  return jobHandler(ESCALATE_JOB, escalateJobPayload, async (job): Promise<JobResult> => {
    const p = job.payload;
    return ctx.incidents.store.transaction(async (trx) => {
      const incident = await lockIncident(trx, ctx.incidents, p.incidentId);
      const policy = ctx.config.oncall.escalation_policies.find((x) => x.name === p.policy);
      if (!incident || !policy || stopped(incident)) return;
      const now = ctx.incidents.clock.now();
      const timeline = await getTimeline(trx, incident.id);
      let payload = p;
      if (p.phase === 'await_diagnosis') {
        // A remediation works on it (its escalation pages), or another trigger started paging already.
        if (timeline.some((e) => e.id > p.episode && e.type === 'remediation_matched')) return;
        if (await escalating(trx, ctx.queue, incident.id, job.id, timeline)) return;
        if (now < p.since + MAX_DIAGNOSIS_WAIT_MS && (await runbooksRunning(trx, ctx.queue, incident.id, timeline))) {
          return { deferUntil: Math.min(now + DIAGNOSIS_POLL_MS, p.since + MAX_DIAGNOSIS_WAIT_MS) };
        }
        payload = { ...p, phase: 'paging', since: now };
      }
      const done = stepsTaken(timeline, p.episode);
      const steps = stepsOf(policy);
      const next = steps.find((s) => !done.has(key(s)));
      const lastAt = Math.max(payload.since, ...timeline.filter((e) => episodeOf(e) === p.episode).map((e) => e.at));
      if (!next) {
        if (timeline.some((e) => e.type === 'escalation_exhausted' && episodeOf(e) === p.episode)) return;
        const due = lastAt + waitBefore(policy, { round: policy.repeat + 1, level: 0 });
        if (now < due) return { deferUntil: due, payload };
        await appendEvents(trx, ctx.incidents, incident, [
          { type: 'escalation_exhausted', actor: SYSTEM, payload: { policy: policy.name, episode: p.episode, rounds: policy.repeat + 1, levels: policy.levels.length, reason: `nobody acknowledged after ${steps.length} page${steps.length === 1 ? '' : 's'} of ${policy.name}` } },
        ]);
        return;
      }
      const due = (done.size === 0 ? payload.since : lastAt) + waitBefore(policy, next);
      if (now < due) return { deferUntil: due, payload };
      await appendEvents(trx, ctx.incidents, incident, pageEvents(ctx.config, policy, next, payload, now));
      const after = steps[steps.indexOf(next) + 1] ?? { round: policy.repeat + 1, level: 0 };
      return { deferUntil: now + waitBefore(policy, after), payload };
    });
  });
}

/** Someone is on it, a fix is being verified, or it is over: nobody is paged any more. */
export function stopped(i: Incident): boolean {
  return i.acknowledgedAt !== null || i.resolvedAt !== null || i.status === 'closed';
}

const key = (s: Step) => `${s.round}:${s.level}`;

/** The escalation an event belongs to: its pages, its notes and its end carry the id of the event that started it. */
const episodeOf = (e: IncidentEvent): number | undefined => ('episode' in e.payload ? e.payload.episode : undefined);

function stepsTaken(timeline: IncidentEvent[], episode: number): Set<string> {
  const out = new Set<string>();
  for (const e of timeline) {
    if ((e.type === 'paged' || e.type === 'note') && e.payload.episode === episode) out.add(key({ round: Number(e.payload.round) - 1, level: Number(e.payload.level) - 1 }));
  }
  return out;
}

/**
 * Whether a runbook run of the incident has not reported yet. Its report on the timeline counts, not its
 * job's status: the job is still `running` for a moment after the report is written (and woke us).
 */
async function runbooksRunning(trx: Tx, queue: JobQueue, incidentId: number, timeline: IncidentEvent[]): Promise<boolean> {
  const reported = (p: RunbookJobPayload) => timeline.some((e) => e.type === 'runbook_finished' && e.payload.runbook === p.runbook && e.payload.run === p.run);
  return (await queue.list(trx, { kind: RUNBOOK_JOB, incidentId })).some((j) => {
    if (j.status !== 'pending' && j.status !== 'running') return false;
    // A payload its kind cannot parse fails its job when taken; until then it counts as not reported.
    const p = runbookJobPayload.safeParse(j.payload);
    return !p.success || !reported(p.data);
  });
}

/**
 * One `paged` event per person and contact (a person reached through two targets of the level is paged
 * once) and per channel; a level that reaches nobody says so in a note, which also marks it taken.
 */
function pageEvents(config: OncallContext['config'], policy: EscalationPolicyConfig, step: Step, p: EscalateJobPayload, now: number): NewEvent[] {
  const base = { policy: policy.name, episode: p.episode, round: step.round + 1, level: step.level + 1, reason: p.reason };
  const events: NewEvent[] = [];
  const people = new Set<string>();
  const missed: string[] = [];
  for (const target of policy.levels[step.level]!.notify) {
    const resolved = resolveTarget(config, target, now);
    if (target.kind === 'channel') {
      events.push({ type: 'paged', actor: SYSTEM, payload: { ...base, target: targetText(target), channel: target.name, contact: 'channel' } });
      continue;
    }
    if (resolved.person === null) {
      missed.push(`nobody is on call for ${targetText(target)}`);
      continue;
    }
    if (people.has(resolved.person)) continue;
    people.add(resolved.person);
    for (const contact of contactsOf(config, resolved.person)) {
      events.push({ type: 'paged', actor: SYSTEM, payload: { ...base, target: targetText(target), person: resolved.person, contact } });
    }
  }
  if (events.length === 0 || missed.length > 0) {
    events.push({ type: 'note', actor: SYSTEM, payload: { ...base, text: `escalation ${policy.name}, level ${step.level + 1}: ${missed.length ? missed.join('; ') : 'nobody to page'}` } });
  }
  return events;
}
