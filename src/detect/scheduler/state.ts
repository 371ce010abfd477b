import type { CheckStatus } from '../checks/index.js';

/**
 * What one run does to a monitor's streak at one location — a pure function, so thresholds and the
 * immediate re-check are tested without a clock or a database.
 *
 *   - The first failure of an up monitor is re-checked after `retry_interval`, not a full interval: a
 *     real fault is confirmed within seconds, a blip costs one extra run and opens nothing.
 *   - `failure_threshold` consecutive failures make it down (`down` transition: open an incident); the
 *     streak's first failure is remembered as `failingSince`, the incident's started_at.
 *   - A down monitor needs `success_threshold` consecutive passes to recover (re-checked at
 *     `retry_interval` meanwhile), then `recovered`.
 *   - degraded passed every assertion (only slow): it counts as a pass, never as a failure.
 */

export type ScheduleStatus = 'pending' | CheckStatus;

export interface StreakState {
  status: ScheduleStatus;
  consecutiveFailures: number;
  consecutiveSuccesses: number;
  failingSince: number | null;
}

export interface StreakPolicy {
  interval: number;
  retry_interval: number;
  failure_threshold: number;
  success_threshold: number;
}

export type Transition = 'down' | 'recovered' | 'degraded' | 'undegraded' | null;

export interface RunStep {
  state: StreakState;
  nextRunAt: number;
  transition: Transition;
}

export const INITIAL_STREAK: StreakState = { status: 'pending', consecutiveFailures: 0, consecutiveSuccesses: 0, failingSince: null };

/** The next slot on the monitor's own grid: runs stay spread the way they were first placed. */
export function nextSlot(scheduledAt: number, interval: number, now: number): number {
  const next = scheduledAt + interval;
  if (next > now) return next;
  return now + interval - ((now - scheduledAt) % interval);
}

export function stepStreak(prev: StreakState, outcome: { status: CheckStatus; startedAt: number; finishedAt: number }, policy: StreakPolicy, scheduledAt: number): RunStep {
  const regular = nextSlot(scheduledAt, policy.interval, outcome.finishedAt);
  const recheck = Math.min(regular, outcome.finishedAt + policy.retry_interval);

  if (outcome.status === 'down') {
    const failures = prev.consecutiveFailures + 1;
    const state: StreakState = { status: prev.status, consecutiveFailures: failures, consecutiveSuccesses: 0, failingSince: prev.failingSince ?? outcome.startedAt };
    if (prev.status === 'down') return { state, nextRunAt: regular, transition: null };
    if (failures >= policy.failure_threshold) return { state: { ...state, status: 'down' }, nextRunAt: regular, transition: 'down' };
    return { state, nextRunAt: recheck, transition: null };
  }

  const successes = prev.consecutiveSuccesses + 1;
  if (prev.status === 'down') {
    if (successes < policy.success_threshold) {
      return { state: { ...prev, consecutiveFailures: 0, consecutiveSuccesses: successes }, nextRunAt: recheck, transition: null };
    }
    return { state: { status: outcome.status, consecutiveFailures: 0, consecutiveSuccesses: successes, failingSince: null }, nextRunAt: regular, transition: 'recovered' };
  }
  const state: StreakState = { status: outcome.status, consecutiveFailures: 0, consecutiveSuccesses: successes, failingSince: null };
  let transition: Transition = null;
  if (outcome.status === 'degraded' && prev.status !== 'degraded') transition = 'degraded';
  else if (outcome.status === 'up' && prev.status === 'degraded') transition = 'undegraded';
  return { state, nextRunAt: regular, transition };
}
