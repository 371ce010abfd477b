import type { RunbookStep } from '../../config/index.js';
import { httpStepRunner } from './http.js';
import { kubernetesStepRunner } from './kubernetes.js';
import { lokiStepRunner } from './loki.js';
import { prometheusStepRunner } from './prometheus.js';
import { runStepRunner } from './run.js';
import { statuspageStepRunner } from './statuspage.js';
import type { StepContext, StepOfKind, StepOutput, StepRunner } from './step.js';
import { tcpStepRunner } from './tcp.js';

/** The step kinds Medic knows: kind → runner. Adding a kind is one file and one line here. */
export const STEP_RUNNERS: { readonly [K in RunbookStep['kind']]: StepRunner<K> } = {
  run: runStepRunner,
  http: httpStepRunner,
  prometheus: prometheusStepRunner,
  tcp: tcpStepRunner,
  kubernetes: kubernetesStepRunner,
  statuspage: statuspageStepRunner,
  loki: lokiStepRunner,
};

/**
 * Runs one step. Never throws: a runner's unexpected failure becomes a failed step, so one broken step
 * never hides the others' output from the report.
 */
export async function runStep(step: RunbookStep, ctx: StepContext): Promise<StepOutput> {
  const started = performance.now();
  try {
    const runner = STEP_RUNNERS[step.kind] as StepRunner<RunbookStep['kind']> | undefined;
    if (!runner) throw new Error(`unknown runbook step kind ${JSON.stringify(step.kind)}`);
    return await runner.run(step as StepOfKind<RunbookStep['kind']>, ctx);
  } catch (err) {
    const message = err instanceof Error ? err.message : String(err);
    return {
      ok: false,
      output: '',
      durationMs: performance.now() - started,
      error: ctx.redactor.redact(`step failed unexpectedly: ${message}`),
      truncated: false,
    };
  }
}

export type { LokiTarget, PrometheusTarget, StepContext, StepOutput, StepRunner, StepTargets } from './step.js';
export { buildIncidentEnv, incidentVariables, labelVariable, type IncidentRef } from './env.js';
export { formatRunbookReport, type ReportStep, type RunbookReport } from './report.js';
