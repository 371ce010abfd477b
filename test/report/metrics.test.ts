import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MTTR_GAUGE_WINDOW_MS, mttrGaugeSamples } from '../../src/report/index.js';
import { ENGINES, openTestStore, type TestStore } from '../helpers/stores.js';
import { insertIncidents } from './helpers.js';

const NOW = Date.parse('2026-06-30T12:00:00Z');

describe.each(ENGINES)('medic_mttr_seconds on %s', (engine) => {
  let t: TestStore;
  beforeAll(async () => {
    t = await openTestStore(engine);
    await insertIncidents(t.store, [
      // Inside the last 30 days: MTTR 10, 20, 60 minutes
      { detected: '2026-06-29T12:00:00Z', detect: 1, diagnose: 4, resolve: 3, verify: 2 },
      { detected: '2026-06-15T12:00:00Z', detect: 2, diagnose: 8, resolve: 6, verify: 4 },
      { detected: new Date(NOW - MTTR_GAUGE_WINDOW_MS).toISOString(), detect: 6, diagnose: 24, resolve: 18, verify: 12 },
      // Just outside, and still open: not counted
      { detected: new Date(NOW - MTTR_GAUGE_WINDOW_MS - 1).toISOString(), detect: 100, diagnose: 100, resolve: 100, verify: 100 },
      { detected: '2026-06-30T11:00:00Z', detect: 5, diagnose: 5 },
    ]);
  });
  afterAll(async () => t?.cleanup());

  it('gives the median and p90 of each phase and of MTTR over the last 30 days, in seconds', async () => {
    const samples = await mttrGaugeSamples(t.store, { now: NOW });
    const value = (phase: string, quantile: string) => samples.find((s) => s.labels.phase === phase && s.labels.quantile === quantile)?.value;
    expect(samples).toHaveLength(10);
    // detect 1, 2, 6 min → median 120 s; p90 at 1.8 → 2 + 0.8 × 4 = 5.2 min = 312 s
    expect(value('detect', '0.5')).toBe(120);
    expect(value('detect', '0.9')).toBeCloseTo(312, 9);
    expect(value('diagnose', '0.5')).toBe(480);
    expect(value('resolve', '0.5')).toBe(360);
    expect(value('verify', '0.5')).toBe(240);
    // MTTR 10, 20, 60 min → median 1200 s; p90 at 1.8 → 20 + 0.8 × 40 = 52 min = 3120 s
    expect(value('total', '0.5')).toBe(1200);
    expect(value('total', '0.9')).toBeCloseTo(3120, 9);
  });

  it('filters by service, and gives no samples when nothing recovered in the window', async () => {
    expect(await mttrGaugeSamples(t.store, { now: NOW, service: 'nobody' })).toEqual([]);
    expect(await mttrGaugeSamples(t.store, { now: Date.parse('2027-06-30T00:00:00Z') })).toEqual([]);
  });
});
