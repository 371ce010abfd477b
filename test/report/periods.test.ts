import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mttrReport, periodOf, periodRange, periodsCovering } from '../../src/report/index.js';
import { ENGINES, openTestStore, type TestStore } from '../helpers/stores.js';
import { insertIncidents } from './helpers.js';

describe('period labels and ranges', () => {
  it('labels ISO weeks across a year boundary', () => {
    const week = (iso: string) => periodOf(Date.parse(iso), 'week');
    expect(week('2025-12-29T00:00:00Z')).toBe('2026-W01'); // Monday of 2026's first week
    expect(week('2026-12-28T00:00:00Z')).toBe('2026-W53');
    expect(week('2026-12-31T12:00:00Z')).toBe('2026-W53');
    expect(week('2027-01-01T00:00:00Z')).toBe('2026-W53');
    expect(week('2027-01-03T23:59:59.999Z')).toBe('2026-W53');
    expect(week('2027-01-04T00:00:00Z')).toBe('2027-W01');
    expect(periodRange('2026-W53', 'week')).toEqual({ start: Date.parse('2026-12-28T00:00:00Z'), end: Date.parse('2027-01-04T00:00:00Z') });
    expect(periodRange('2026-W01', 'week').start).toBe(Date.parse('2025-12-29T00:00:00Z'));
  });

  it('labels months in UTC', () => {
    expect(periodOf(Date.parse('2026-12-31T23:59:59.999Z'), 'month')).toBe('2026-12');
    expect(periodOf(Date.parse('2027-01-01T00:00:00Z'), 'month')).toBe('2027-01');
    expect(periodRange('2026-12', 'month')).toEqual({ start: Date.UTC(2026, 11, 1), end: Date.UTC(2027, 0, 1) });
  });

  it('covers a span with contiguous periods, from the one holding the first instant to the one holding the last', () => {
    fc.assert(
      fc.property(fc.integer({ min: Date.UTC(1971, 0, 1), max: Date.UTC(2099, 0, 1) }), fc.integer({ min: 0, max: 3 * 365 * 86_400_000 }), fc.constantFrom('month' as const, 'week' as const), (first, length, unit) => {
        const periods = periodsCovering(first, first + length, unit);
        expect(periods[0]!.label).toBe(periodOf(first, unit));
        expect(periods.at(-1)!.label).toBe(periodOf(first + length, unit));
        for (let i = 1; i < periods.length; i++) expect(periods[i]!.start).toBe(periods[i - 1]!.end);
      }),
      { numRuns: 300 },
    );
    expect(periodsCovering(Date.UTC(2026, 0, 31), Date.UTC(2026, 2, 1), 'month').map((p) => p.label)).toEqual(['2026-01', '2026-02', '2026-03']);
    expect(periodsCovering(Date.UTC(2026, 0, 2), Date.UTC(2026, 0, 1), 'week')).toEqual([]);
  });

  it('puts every instant inside the range of its own label', () => {
    fc.assert(
      fc.property(fc.integer({ min: Date.UTC(1971, 0, 1), max: Date.UTC(2100, 0, 1) }), fc.constantFrom('month' as const, 'week' as const), (ms, unit) => {
        const { start, end } = periodRange(periodOf(ms, unit), unit);
        expect(ms).toBeGreaterThanOrEqual(start);
        expect(ms).toBeLessThan(end);
      }),
      { numRuns: 2000 },
    );
  });
});

describe.each(ENGINES)('period bucketing in the database on %s', (engine) => {
  let t: TestStore;
  beforeAll(async () => {
    t = await openTestStore(engine);
  });
  afterAll(async () => t?.cleanup());

  it('groups by calendar month and ISO week across the year boundary', async () => {
    await insertIncidents(t.store, [
      { detected: '2026-12-28T08:00:00Z', detect: 1, diagnose: 1, resolve: 1, verify: 1 },
      { detected: '2026-12-31T23:59:59.999Z', detect: 2, diagnose: 2, resolve: 2, verify: 2 },
      { detected: '2027-01-01T00:00:00Z', detect: 3, diagnose: 3, resolve: 3, verify: 3 },
      { detected: '2027-01-03T23:00:00Z', detect: 4, diagnose: 4, resolve: 4, verify: 4 },
      { detected: '2027-01-04T00:00:00Z', detect: 5, diagnose: 5, resolve: 5, verify: 5 },
    ]);
    const months = await mttrReport(t.store, { by: 'month' });
    expect(months.periods.map((p) => [p.period, p.incidents, p.mttr.max])).toEqual([
      ['2026-12', 2, 8],
      ['2027-01', 3, 20],
    ]);
    const weeks = await mttrReport(t.store, { by: 'week' });
    expect(weeks.periods.map((p) => [p.period, p.incidents, p.mttr.max])).toEqual([
      ['2026-W53', 4, 16],
      ['2027-W01', 1, 20],
    ]);
    expect(weeks.periods[0]).toMatchObject({ start: Date.parse('2026-12-28T00:00:00Z'), end: Date.parse('2027-01-04T00:00:00Z') });
  });

  it('counts every incident in the period periodOf names, boundaries included', async () => {
    const samples = fc.sample(fc.integer({ min: Date.UTC(2020, 0, 1), max: Date.UTC(2030, 0, 1) }), { numRuns: 200, seed: 7 });
    // Plus the instants around year boundaries, where ISO weeks and months disagree most.
    for (let year = 2021; year <= 2029; year += 2) samples.push(Date.UTC(year, 0, 1) - 1, Date.UTC(year, 0, 1), Date.UTC(year, 0, 4) - 1, Date.UTC(year, 0, 4));
    const fresh = await openTestStore(engine);
    try {
      await insertIncidents(fresh.store, samples.map((ms) => ({ detected: new Date(ms).toISOString(), detect: 1, diagnose: 1, resolve: 1, verify: 1, service: 'sampled' })));
      for (const unit of ['month', 'week'] as const) {
        const expected = new Map<string, number>();
        for (const ms of samples) expected.set(periodOf(ms, unit), (expected.get(periodOf(ms, unit)) ?? 0) + 1);
        const report = await mttrReport(fresh.store, { by: unit });
        expect(new Map(report.periods.map((p) => [p.period, p.incidents]))).toEqual(expected);
        expect(report.total.incidents).toBe(samples.length);
      }
    } finally {
      await fresh.cleanup();
    }
  });
});
