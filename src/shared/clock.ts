/**
 * The time source of everything that schedules or stamps: real in production, driven by hand in tests
 * (the scheduler's thresholds, lease expiry and cooldowns are tested without sleeping).
 */
export interface Clock {
  now(): number;
}

export const systemClock: Clock = { now: () => Date.now() };

export class ManualClock implements Clock {
  constructor(private current = Date.UTC(2026, 0, 1)) {}
  now(): number {
    return this.current;
  }
  set(ms: number): void {
    this.current = ms;
  }
  advance(ms: number): number {
    this.current += ms;
    return this.current;
  }
}
