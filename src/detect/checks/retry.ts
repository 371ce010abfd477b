import { setTimeout } from 'node:timers/promises';
import type { RetryPolicy } from '../../config/index.js';
import { backoffDelay } from '../../shared/backoff.js';
import type { CheckOutcome } from './check.js';
import { whenAborted } from './deadline.js';

/**
 * A monitor's `retry` policy within one run: a failed attempt is tried again after a delay, and only
 * the last attempt's outcome counts. This absorbs a dropped packet without waiting a whole interval;
 * `failure_threshold` (consecutive failed runs, in the scheduler) is the coarser filter above it.
 */

/** Delay before retry number `retry` (1-based): fixed d, linear d·n, exponential d·2^(n-1), capped at max_delay. */
export function retryDelay(policy: Pick<RetryPolicy, 'strategy' | 'delay' | 'max_delay'>, retry: number): number {
  return backoffDelay(retry, { strategy: policy.strategy, baseMs: policy.delay, capMs: policy.max_delay });
}

/** Only down runs are retried (a degraded run got its answer), and with only_network_errors only those that got no answer at all. */
export function shouldRetry(policy: Pick<RetryPolicy, 'only_network_errors'>, outcome: CheckOutcome): boolean {
  return outcome.status === 'down' && (!policy.only_network_errors || outcome.networkError);
}

/**
 * Waits ms, or less if the signal aborts; resolves true when the full time passed. The wait listens to
 * a signal of its own, hooked to the run's through whenAborted: every check of the scheduler shares its
 * one signal, and a listener per waiting retry on it would trip Node's listener-leak warning.
 */
async function pause(ms: number, signal: AbortSignal): Promise<boolean> {
  const own = new AbortController();
  const unwatch = whenAborted(signal, () => own.abort());
  try {
    await setTimeout(ms, undefined, { signal: own.signal });
    return true;
  } catch {
    return false;
  } finally {
    unwatch();
  }
}

/** Runs attempts until one is not worth retrying, the retries are used up, or the signal aborts. */
export async function withRetry(policy: RetryPolicy | undefined, signal: AbortSignal, attempt: () => Promise<CheckOutcome>): Promise<CheckOutcome> {
  let outcome = await attempt();
  let attempts = 1;
  const retries = policy?.count ?? 0;
  while (policy && attempts <= retries && shouldRetry(policy, outcome) && !signal.aborted) {
    if (!(await pause(retryDelay(policy, attempts), signal))) break;
    outcome = await attempt();
    attempts++;
  }
  return { ...outcome, attempts };
}
