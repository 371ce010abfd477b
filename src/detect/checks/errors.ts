import { CheckAbortedError, CheckTimeoutError } from './deadline.js';

/** True for the reasons a deadline aborts with (the check ran out of time or was stopped). */
export function isDeadlineError(err: unknown): err is CheckTimeoutError | CheckAbortedError {
  return err instanceof CheckTimeoutError || err instanceof CheckAbortedError;
}
