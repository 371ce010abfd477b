import { describe, expect, it } from 'vitest';
import { INITIAL_STREAK, nextSlot, stepStreak, type StreakState } from '../../../src/detect/scheduler/state.js';

const policy = { interval: 60_000, retry_interval: 5_000, failure_threshold: 2, success_threshold: 2 };
const run = (status: 'up' | 'degraded' | 'down', at: number) => ({ status, startedAt: at, finishedAt: at + 100 });

describe('a monitor streak', () => {
  it('re-checks the first failure of an up monitor after retry_interval, and opens nothing for a blip', () => {
    const up: StreakState = { ...INITIAL_STREAK, status: 'up' };
    const first = stepStreak(up, run('down', 1_000), policy, 1_000);
    expect(first).toMatchObject({ transition: null, nextRunAt: 1_000 + 100 + 5_000, state: { status: 'up', consecutiveFailures: 1, failingSince: 1_000 } });
    const back = stepStreak(first.state, run('up', 6_100), policy, 6_100);
    expect(back).toMatchObject({ transition: null, state: { status: 'up', consecutiveFailures: 0, failingSince: null } });
    // Back on the monitor's own grid: the slot after the re-check's due time.
    expect(back.nextRunAt).toBe(66_100);
  });

  it('goes down at failure_threshold, keeping the first failing run as the start', () => {
    const a = stepStreak({ ...INITIAL_STREAK, status: 'up' }, run('down', 1_000), policy, 1_000);
    const b = stepStreak(a.state, run('down', 6_100), policy, 6_100);
    expect(b).toMatchObject({ transition: 'down', state: { status: 'down', consecutiveFailures: 2, failingSince: 1_000 } });
    const c = stepStreak(b.state, run('down', 66_100), policy, 66_100);
    expect(c.transition).toBeNull();
    expect(c.state).toMatchObject({ status: 'down', consecutiveFailures: 3, failingSince: 1_000 });
    expect(c.nextRunAt).toBe(126_100);
  });

  it('recovers after success_threshold passes, re-checking quickly in between', () => {
    const down: StreakState = { status: 'down', consecutiveFailures: 4, consecutiveSuccesses: 0, failingSince: 1 };
    const a = stepStreak(down, run('up', 10_000), policy, 10_000);
    expect(a).toMatchObject({ transition: null, nextRunAt: 15_100, state: { status: 'down', consecutiveSuccesses: 1 } });
    const b = stepStreak(a.state, run('degraded', 15_100), policy, 15_100);
    expect(b).toMatchObject({ transition: 'recovered', state: { status: 'degraded', consecutiveFailures: 0, failingSince: null } });
  });

  it('a failure during recovery starts the count again', () => {
    const down: StreakState = { status: 'down', consecutiveFailures: 4, consecutiveSuccesses: 1, failingSince: 1 };
    expect(stepStreak(down, run('down', 10_000), policy, 10_000).state).toMatchObject({ status: 'down', consecutiveSuccesses: 0, failingSince: 1 });
  });

  it('reports degraded and back as transitions of their own, never as failures', () => {
    const a = stepStreak({ ...INITIAL_STREAK, status: 'up' }, run('degraded', 0), policy, 0);
    expect(a).toMatchObject({ transition: 'degraded', state: { status: 'degraded', consecutiveFailures: 0 } });
    expect(stepStreak(a.state, run('up', 60_000), policy, 60_000).transition).toBe('undegraded');
  });

  it('a threshold of 1 opens on the first failure', () => {
    expect(stepStreak(INITIAL_STREAK, run('down', 0), { ...policy, failure_threshold: 1 }, 0).transition).toBe('down');
  });

  it('keeps the grid when a run was late, skipping missed slots', () => {
    expect(nextSlot(0, 10_000, 5_000)).toBe(10_000);
    expect(nextSlot(0, 10_000, 25_000)).toBe(30_000);
    expect(nextSlot(0, 10_000, 30_000)).toBe(40_000);
  });
});

describe('sizedChunks', () => {
  it('cuts batches into 128s and powers of two, keeping every item in order', async () => {
    const { sizedChunks } = await import('../../../src/detect/scheduler/schedule-store.js');
    const items = Array.from({ length: 300 }, (_, i) => i);
    const chunks = [...sizedChunks(items)];
    expect(chunks.map((c) => c.length)).toEqual([128, 128, 32, 8, 4]);
    expect(chunks.flat()).toEqual(items);
    expect([...sizedChunks([])]).toEqual([]);
  });
});
