import type { Redactor, RunbookConfig, RunbookStep } from '../../config/index.js';
import { buildIncidentEnv, runStep, type IncidentRef, type ReportStep, type StepOutput, type StepTargets } from '../steps/index.js';

/**
 * Runs one runbook's steps for an incident: in parallel up to the runbook's `concurrency`, every command
 * with the incident's environment (alert data only as $MEDIC_* variables), every output redacted by the
 * step runners. Results come back in the runbook's order, whatever order the steps finished in.
 */

export interface RunbookRunOptions extends StepTargets {
  incident: IncidentRef;
  redactor: Redactor;
  /** Where commands run (the config file's folder). */
  cwd: string;
  signal: AbortSignal;
  /** Called as each step finishes, in finishing order (the job records each as an event right away). */
  onStep?: (index: number, step: RunbookStep, result: StepOutput) => Promise<void> | void;
}

export interface RunbookRun {
  steps: ReportStep[];
  durationMs: number;
}

export async function runRunbook(runbook: Pick<RunbookConfig, 'steps' | 'concurrency'>, options: RunbookRunOptions): Promise<RunbookRun> {
  const started = performance.now();
  const env = buildIncidentEnv(options.incident);
  const results: (StepOutput | undefined)[] = new Array(runbook.steps.length);
  let next = 0;
  const worker = async () => {
    while (next < runbook.steps.length) {
      const index = next++;
      const step = runbook.steps[index]!;
      const result = await runStep(step, {
        env,
        signal: options.signal,
        redactor: options.redactor,
        cwd: options.cwd,
        prometheus: options.prometheus,
        loki: options.loki,
        kubernetes: options.kubernetes,
      });
      results[index] = result;
      await options.onStep?.(index, step, result);
    }
  };
  const workers = Math.max(1, Math.min(runbook.concurrency, runbook.steps.length));
  await Promise.all(Array.from({ length: workers }, worker));
  return {
    steps: runbook.steps.map((step, i) => ({ name: step.name, kind: step.kind, result: results[i]! })),
    durationMs: performance.now() - started,
  };
}
