import { describeProcessFailure, type ProcessResult, type ProcessSpec } from '../../shared/process.js';
import { ACTION_MAX_OUTPUT, type ActionContext, type ActionOutcome } from './action.js';

/**
 * How every action that runs a process (`run`, `script`, `rollback`) runs it: the incident's MEDIC_*
 * environment (plus the action's own `env`), in the config's folder, within the action's time, output
 * capped and redacted.
 */
export function actionProcessSpec(ctx: ActionContext, env: Record<string, string> = {}): Omit<ProcessSpec, 'file' | 'args'> {
  return { env: { ...ctx.env, ...env }, cwd: ctx.baseDir, signal: ctx.signal, timeoutMs: ctx.timeoutMs, maxOutput: ACTION_MAX_OUTPUT, redactor: ctx.redactor };
}

/** The outcome of an action that ran a process (`run`, `script`, `rollback`): ok when it exited 0. */
export function processOutcome(result: ProcessResult, timeoutMs: number): ActionOutcome {
  const error = describeProcessFailure(result, timeoutMs);
  return {
    ok: error === undefined,
    output: result.output,
    ...(error !== undefined ? { error } : {}),
    durationMs: result.durationMs,
    details: { exitCode: result.exitCode, ...(result.signal ? { signal: result.signal } : {}), ...(result.truncated ? { outputTruncated: true } : {}) },
  };
}
