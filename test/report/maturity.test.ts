import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { assessMaturity, maturityLevel, mttrTrend } from '../../src/report/index.js';
import { ENGINES, openTestStore, type TestStore } from '../helpers/stores.js';
import { insertIncidents } from './helpers.js';

describe('maturity levels', () => {
  it('applies the article’s thresholds, each an exclusive upper bound', () => {
    const cases: [number, string][] = [
      [0, 'Elite'],
      [14.999, 'Elite'],
      [15, 'Advanced'],
      [29.999, 'Advanced'],
      [30, 'Intermediate'],
      [59.999, 'Intermediate'],
      [60, 'Basic'],
      [239.999, 'Basic'],
      [240, 'Below Basic'],
      [10_000, 'Below Basic'],
    ];
    for (const [minutes, level] of cases) expect(maturityLevel(minutes), `${minutes} min`).toBe(level);
  });

  it('reads a lower median as improving, within 5 % as flat', () => {
    expect(mttrTrend(60, 40)).toBe('improving');
    expect(mttrTrend(40, 60)).toBe('worsening');
    expect(mttrTrend(60, 63)).toBe('flat');
    expect(mttrTrend(60, 57)).toBe('flat');
    expect(mttrTrend(60, 56.9)).toBe('improving');
    expect(mttrTrend(0, 0)).toBe('flat');
    expect(mttrTrend(0, 1)).toBe('worsening');
    expect(mttrTrend(null, 10)).toBeNull();
    expect(mttrTrend(10, null)).toBeNull();
  });
});

describe.each(ENGINES)('assessMaturity on %s', (engine) => {
  let t: TestStore;
  beforeAll(async () => {
    t = await openTestStore(engine);
    await insertIncidents(t.store, [
      // Q1 2026: MTTR 50, 70, 90 → median 70 (Basic)
      { detected: '2026-01-10T10:00:00Z', detect: 10, diagnose: 20, resolve: 10, verify: 10 },
      { detected: '2026-02-10T10:00:00Z', detect: 10, diagnose: 30, resolve: 20, verify: 10 },
      { detected: '2026-03-10T10:00:00Z', detect: 10, diagnose: 40, resolve: 30, verify: 10 },
      // Q2 2026: MTTR 20, 25, 40 → median 25 (Advanced)
      { detected: '2026-04-10T10:00:00Z', detect: 5, diagnose: 5, resolve: 5, verify: 5 },
      { detected: '2026-05-10T10:00:00Z', detect: 5, diagnose: 10, resolve: 5, verify: 5 },
      { detected: '2026-06-10T10:00:00Z', detect: 10, diagnose: 10, resolve: 10, verify: 10, service: 'search' },
    ]);
  });
  afterAll(async () => t?.cleanup());

  // Q1 and Q2 have different lengths (90 and 91 days); the previous range is Q2's length back from April 1st.
  const Q2 = { since: Date.UTC(2026, 3, 1), until: Date.UTC(2026, 6, 1) };

  it('gives the level of the range’s median and the trend against the range before it', async () => {
    const m = await assessMaturity(t.store, Q2);
    expect(m).toEqual({
      level: 'Advanced',
      medianMinutes: 25,
      incidents: 3,
      previous: { since: Q2.since - (Q2.until - Q2.since), until: Q2.since, medianMinutes: 70, incidents: 3 },
      trend: 'improving',
    });
  });

  it('filters both ranges alike', async () => {
    const m = await assessMaturity(t.store, { ...Q2, service: 'search' });
    expect(m).toMatchObject({ level: 'Intermediate', medianMinutes: 40, incidents: 1, previous: { incidents: 0, medianMinutes: null }, trend: null });
  });

  it('ends an open range at `now`', async () => {
    const m = await assessMaturity(t.store, { since: Q2.since, now: Q2.until });
    expect(m.previous).toMatchObject({ until: Q2.since, medianMinutes: 70 });
    expect(m.medianMinutes).toBe(25);
  });

  it('has no trend for a range without a start, and no level without incidents', async () => {
    expect(await assessMaturity(t.store, {})).toMatchObject({ level: 'Intermediate', medianMinutes: 45, incidents: 6, previous: null, trend: null });
    expect(await assessMaturity(t.store, { service: 'nobody' })).toMatchObject({ level: null, medianMinutes: null, incidents: 0 });
  });
});
