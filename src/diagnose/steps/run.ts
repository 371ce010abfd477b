import { describeProcessFailure, runShell } from '../../shared/process.js';
import type { StepRunner } from './step.js';

/**
 * `run:` — a shell command, as a diagnostic script runs `kubectl logs … | grep`.
 * The command text is config; the incident reaches it only as $MEDIC_* variables (ctx.env).
 */
export const runStepRunner: StepRunner<'run'> = {
  kind: 'run',
  async run(step, ctx) {
    const result = await runShell(step.run, {
      env: { ...ctx.env, ...step.env },
      cwd: ctx.cwd,
      signal: ctx.signal,
      timeoutMs: step.timeout,
      maxOutput: step.max_output,
      redactor: ctx.redactor,
    });
    const error = describeProcessFailure(result, step.timeout);
    return {
      ok: error === undefined,
      output: result.output,
      ...(result.exitCode !== null ? { exitCode: result.exitCode } : {}),
      durationMs: result.durationMs,
      ...(error !== undefined ? { error } : {}),
      truncated: result.truncated,
    };
  },
};
