import { describe, expect, it } from 'vitest';
import { backoffDelay } from '../../src/shared/backoff.js';

describe('backoffDelay', () => {
  it('waits base, base·n or base·2^(n-1) before retry n, never longer than the cap', () => {
    const b = { baseMs: 100, capMs: 500 };
    expect([1, 2, 3, 4].map((n) => backoffDelay(n, { ...b, strategy: 'fixed' }))).toEqual([100, 100, 100, 100]);
    expect([1, 2, 3, 4, 6].map((n) => backoffDelay(n, { ...b, strategy: 'linear' }))).toEqual([100, 200, 300, 400, 500]);
    expect([1, 2, 3, 4, 5].map((n) => backoffDelay(n, { ...b, strategy: 'exponential' }))).toEqual([100, 200, 400, 500, 500]);
    // Exponential is the default.
    expect([1, 2, 3].map((n) => backoffDelay(n, b))).toEqual([100, 200, 400]);
  });

  it('counts an attempt below 1 as the first, and stays finite and capped for any attempt', () => {
    expect(backoffDelay(0, { baseMs: 100, capMs: 500 })).toBe(100);
    expect(backoffDelay(-3, { baseMs: 100, capMs: 500 })).toBe(100);
    expect(backoffDelay(10_000, { baseMs: 100, capMs: 3_600_000 })).toBe(3_600_000);
    expect(backoffDelay(10_000, { baseMs: 0, capMs: 3_600_000 })).toBe(0);
  });

  it('spreads a jittered delay over ±jitter of it, the cap included', () => {
    const b = { baseMs: 1000, capMs: 5000, jitter: 0.2 };
    // The random source at its two ends and its middle.
    expect(backoffDelay(1, b, () => 0)).toBe(800);
    expect(backoffDelay(1, b, () => 0.5)).toBe(1000);
    expect(backoffDelay(1, b, () => 0.999999)).toBe(1200);
    expect(backoffDelay(2, b, () => 0)).toBe(1600);
    // At the cap, jitter may shorten the wait but never lengthen it past the cap.
    expect(backoffDelay(10, b, () => 0)).toBe(4000);
    expect(backoffDelay(10, b, () => 0.999999)).toBe(5000);
  });

  it('with the real random source, every jittered delay lies in its range and they differ', () => {
    const b = { baseMs: 1000, capMs: 60_000, jitter: 0.2 };
    const delays = Array.from({ length: 200 }, () => backoffDelay(3, b));
    for (const d of delays) {
      expect(d).toBeGreaterThanOrEqual(3200);
      expect(d).toBeLessThanOrEqual(4800);
      expect(Number.isInteger(d)).toBe(true);
    }
    expect(new Set(delays).size).toBeGreaterThan(20);
  });

  it('is exact without jitter, whatever the random source says', () => {
    expect(backoffDelay(3, { baseMs: 1000, capMs: 60_000 }, () => 0)).toBe(4000);
  });
});
