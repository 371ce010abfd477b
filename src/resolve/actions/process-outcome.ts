import { describeProcessFailure, type ProcessResult } from '../../shared/process.js';
import type { ActionOutcome } from './action.js';

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
