import { appendToIncident, getIncident, getTimeline, type EventPayload, type IncidentEvent, type NewEvent } from '../../incidents/index.js';
import { jobHandler, type JobHandler } from '../../store/index.js';
import { stepTargets, type DiagnoseContext } from '../context.js';
import { formatRunbookReport, type StepOutput } from '../steps/index.js';
import { runRunbook } from './execute.js';
import { incidentRef } from './ref.js';
import { RUNBOOK_JOB, runbookJobPayload } from './reactor.js';
import { diagnosticReportTitle } from './title.js';

/**
 * Runs one runbook for one incident and writes it on the timeline: `runbook_started`, one
 * `runbook_step_finished` per step as it finishes (people watching the incident see the first answers
 * while slow steps still run), then `runbook_finished` with the whole report. A run that already
 * finished (the job is retried after a crash past that point) is not run again.
 */
export function runbookHandler(ctx: DiagnoseContext): JobHandler {
  return jobHandler(RUNBOOK_JOB, runbookJobPayload, async (job, { signal }) => {
    const p = job.payload;
    const runbook = ctx.config.runbooks.find((r) => r.name === p.runbook);
    const incident = await getIncident(ctx.incidents.store.db, p.incidentId);
    if (!runbook || !incident) {
      ctx.logger.warn({ runbook: p.runbook, incidentId: p.incidentId }, 'runbook run dropped: the runbook or the incident no longer exists');
      return;
    }
    const mine = (e: IncidentEvent, type: 'runbook_started' | 'runbook_finished') => e.type === type && e.payload.runbook === p.runbook && e.payload.run === p.run;
    const timeline = await getTimeline(ctx.incidents.store.db, p.incidentId);
    if (timeline.some((e) => mine(e, 'runbook_finished'))) return;
    const retry = timeline.some((e) => mine(e, 'runbook_started'));

    const base = { runbook: runbook.name, run: p.run };
    const append = (events: NewEvent[]) => appendToIncident(ctx.incidents, p.incidentId, events);
    const startedAt = ctx.incidents.clock.now();
    await append([{ type: 'runbook_started', actor: runbook.name, payload: { ...base, steps: runbook.steps.map((s) => s.name), concurrency: runbook.concurrency, ...(retry ? { retry: true } : {}) } }]);

    const result = await runRunbook(runbook, {
      incident: incidentRef(incident),
      redactor: ctx.redactor,
      cwd: ctx.baseDir,
      signal,
      ...stepTargets(ctx.config),
      onStep: async (index, step, out) => {
        await append([{ type: 'runbook_step_finished', actor: runbook.name, payload: { ...base, index, step: step.name, kind: step.kind, ...stepPayload(out) } }]);
      },
    });

    const failed = result.steps.filter((s) => !s.result.ok).length;
    const report = formatRunbookReport({
      title: diagnosticReportTitle(incident.service, incident.id),
      generatedAt: startedAt,
      context: [`Incident: #${incident.id} ${incident.alertName ?? incident.title} (${incident.severity})`, `Runbook: ${runbook.name}`],
      steps: result.steps,
    });
    await append([
      {
        type: 'runbook_finished',
        actor: runbook.name,
        payload: { ...base, ok: result.steps.length - failed, failed, duration_ms: Math.round(result.durationMs), report },
      },
    ]);
  });
}

/** A step's outcome as the timeline keeps it. */
export function stepPayload(out: StepOutput): Omit<EventPayload<'runbook_step_finished'>, 'runbook' | 'run' | 'index' | 'step' | 'kind'> {
  return {
    ok: out.ok,
    output: out.output,
    ...(out.exitCode !== undefined ? { exit_code: out.exitCode } : {}),
    ...(out.statusCode !== undefined ? { status_code: out.statusCode } : {}),
    ...(out.value !== undefined ? { value: out.value } : {}),
    duration_ms: Math.round(out.durationMs),
    ...(out.error !== undefined ? { error: out.error } : {}),
    ...(out.truncated ? { truncated: true } : {}),
  };
}
