import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mttrReport, type PeriodStats } from '../../src/report/index.js';
import { ENGINES, openTestStore, type TestStore } from '../helpers/stores.js';
import { insertIncidents } from './helpers.js';
import { KNOWN } from './known.js';

type Expected = Omit<PeriodStats, 'start' | 'end' | 'acknowledge'>;

const EXPECTED_MARCH: Expected = {
  period: '2026-03',
  incidents: 3,
  mttr: { mean: 70 / 3, median: 20, p90: 36, max: 40 },
  phases: {
    detect: { mean: 7 / 3, median: 2, share: 7 / 70 },
    diagnose: { mean: 10, median: 10, share: 30 / 70 },
    resolve: { mean: 8, median: 9, share: 24 / 70 },
    verify: { mean: 3, median: 3, share: 9 / 70 },
  },
  resolvedMinusDetected: { incidents: 3, mean: 18, median: 15 },
};

const EXPECTED_APRIL: Expected = {
  period: '2026-04',
  incidents: 3,
  // p90: position 0.9 × 2 = 1.8 → 60 + 0.8 × (120 − 60)
  mttr: { mean: 70, median: 60, p90: 108, max: 120 },
  phases: {
    detect: { mean: 5, median: 5, share: 15 / 210 },
    diagnose: { mean: 35, median: 30, share: 105 / 210 },
    resolve: { mean: 20, median: 20, share: 60 / 210 },
    verify: { mean: 10, median: 10, share: 30 / 210 },
  },
  resolvedMinusDetected: { incidents: 2, mean: 75, median: 75 },
};

const EXPECTED_TOTAL: Expected = {
  period: 'total',
  incidents: 6,
  // MTTR 10, 20, 30, 40, 60, 120: median at 2.5 → 35, p90 at 4.5 → 90
  mttr: { mean: 280 / 6, median: 35, p90: 90, max: 120 },
  phases: {
    detect: { mean: 22 / 6, median: 3, share: 22 / 280 }, // 0 1 2 4 5 10
    diagnose: { mean: 22.5, median: 17.5, share: 135 / 280 }, // 0 10 15 20 30 60
    resolve: { mean: 14, median: 9.5, share: 84 / 280 }, // 0 5 9 10 20 40
    verify: { mean: 6.5, median: 5.5, share: 39 / 280 }, // 0 3 5 6 10 15
  },
  // 9 15 30 50 100
  resolvedMinusDetected: { incidents: 5, mean: 40.8, median: 30 },
};

/** Compares with a tolerance of 1e-9 minutes: the figures are divisions (70 / 3), not decimal literals. */
function expectStats(actual: PeriodStats, expected: Expected) {
  const close = (a: number | null, e: number | null, what: string) => {
    if (e === null) expect(a, what).toBeNull();
    else expect(a, what).toBeCloseTo(e, 9);
  };
  expect(actual.period).toBe(expected.period);
  expect(actual.incidents).toBe(expected.incidents);
  for (const k of ['mean', 'median', 'p90', 'max'] as const) close(actual.mttr[k], expected.mttr[k], `${expected.period} mttr.${k}`);
  for (const phase of ['detect', 'diagnose', 'resolve', 'verify'] as const) {
    for (const k of ['mean', 'median', 'share'] as const) close(actual.phases[phase][k], expected.phases[phase][k], `${expected.period} ${phase}.${k}`);
  }
  expect(actual.resolvedMinusDetected.incidents).toBe(expected.resolvedMinusDetected.incidents);
  close(actual.resolvedMinusDetected.mean, expected.resolvedMinusDetected.mean, `${expected.period} resolved−detected mean`);
  close(actual.resolvedMinusDetected.median, expected.resolvedMinusDetected.median, `${expected.period} resolved−detected median`);
}

describe.each(ENGINES)('MTTR report on %s', (engine) => {
  let t: TestStore;
  beforeAll(async () => {
    t = await openTestStore(engine);
    await insertIncidents(t.store, KNOWN);
  });
  afterAll(async () => t?.cleanup());

  it('computes every statistic per month and over the range', async () => {
    const report = await mttrReport(t.store, { by: 'month' });
    expect(report.periods.map((p) => p.period)).toEqual(['2026-03', '2026-04']);
    expectStats(report.periods[0]!, EXPECTED_MARCH);
    expectStats(report.periods[1]!, EXPECTED_APRIL);
    expectStats(report.total, EXPECTED_TOTAL);
    expect(report.periods[0]).toMatchObject({ start: Date.UTC(2026, 2, 1), end: Date.UTC(2026, 3, 1) });
    expect(report.total).toMatchObject({ start: null, end: null });
    expect(report).toMatchObject({ by: 'month', since: null, until: null, service: null, severity: null });
  });

  it('lets the phase shares add up to the whole', async () => {
    const report = await mttrReport(t.store, { by: 'month' });
    for (const s of [...report.periods, report.total]) {
      expect(Object.values(s.phases).reduce((sum, p) => sum + p.share!, 0)).toBeCloseTo(1, 12);
    }
  });

  it('filters by detection time (since inclusive, until exclusive)', async () => {
    const april = await mttrReport(t.store, { by: 'month', since: Date.UTC(2026, 3, 1), until: Date.UTC(2026, 4, 1) });
    expect(april.periods.map((p) => p.period)).toEqual(['2026-04']);
    expectStats(april.total, { ...EXPECTED_APRIL, period: 'total' });
    expect(april.total).toMatchObject({ start: Date.UTC(2026, 3, 1), end: Date.UTC(2026, 4, 1) });
    // E was detected at 23:30 on 30 April: an `until` of that instant leaves it out, one minute later takes it in.
    const edge = Date.parse('2026-04-30T23:30:00Z');
    expect((await mttrReport(t.store, { by: 'month', until: edge })).total.incidents).toBe(5);
    expect((await mttrReport(t.store, { by: 'month', since: edge })).total.incidents).toBe(1);
  });

  it('filters by service and severity', async () => {
    const payments = await mttrReport(t.store, { by: 'month', service: 'payments' });
    expect(payments.total.incidents).toBe(2);
    expect(payments.total.mttr).toEqual({ mean: 50, median: 50, p90: 58, max: 60 });
    const p1 = await mttrReport(t.store, { by: 'month', severity: 'P1' });
    expect(p1.periods.map((p) => [p.period, p.incidents])).toEqual([['2026-03', 1], ['2026-04', 2]]);
    expect(p1.total.mttr.median).toBe(60);
    const both = await mttrReport(t.store, { by: 'month', service: 'payments', severity: 'P1', since: Date.UTC(2026, 3, 1) });
    expect(both.total.incidents).toBe(1);
    expect(both).toMatchObject({ service: 'payments', severity: 'P1' });
  });

  it('reports a range without incidents as empty, not as zeros', async () => {
    const report = await mttrReport(t.store, { by: 'week', service: 'nobody' });
    expect(report.periods).toEqual([]);
    expect(report.total).toMatchObject({
      incidents: 0,
      mttr: { mean: null, median: null, p90: null, max: null },
      phases: { detect: { mean: null, median: null, share: null } },
      resolvedMinusDetected: { incidents: 0, mean: null, median: null },
    });
  });
});
