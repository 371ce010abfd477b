import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { mttrReport, mttrTotal, periodsCovering, toStats, type MttrReportOptions } from '../../src/report/index.js';
import { periodRows } from '../../src/report/period-rows.js';
import { totalRow } from '../../src/report/total.js';
import { ENGINES, openTestStore, type TestStore } from '../helpers/stores.js';
import { insertIncidents, type IncidentSpec } from './helpers.js';

/**
 * The report reads each period by its time range and computes the total without sorting the range again
 * (keeping the values on SQLite, narrowing a window on PostgreSQL, see total.ts and period-rows.ts).
 * Whatever the path, every figure must equal what one percentile_cont query over the same rows gives.
 * Each path is run on both engines here, not only the one the engine picks.
 */

/** Durations in whole minutes from a small set: many ties, which is where windows are most fragile. */
const tied: IncidentSpec[] = fc.sample(
  fc.record({
    detected: fc.integer({ min: Date.UTC(2026, 0, 1), max: Date.UTC(2026, 5, 30) }).map((ms) => new Date(ms).toISOString()),
    detect: fc.constantFrom(0, 1, 2, 5),
    diagnose: fc.option(fc.constantFrom(0, 10, 30), { freq: 4 }),
    resolve: fc.option(fc.constantFrom(5, 20), { freq: 6 }),
    verify: fc.option(fc.constantFrom(0, 5), { freq: 3 }),
  }),
  { numRuns: 300, seed: 42 },
).map((s) => ({ ...s, service: 'tied' }));

/** Durations to the millisecond, spread over two years. */
const spread: IncidentSpec[] = fc.sample(
  fc.record({
    detected: fc.integer({ min: Date.UTC(2025, 0, 1), max: Date.UTC(2026, 11, 31) }).map((ms) => new Date(ms).toISOString()),
    detect: fc.integer({ min: 0, max: 30 * 60_000 }).map((ms) => ms / 60_000),
    diagnose: fc.option(fc.integer({ min: 0, max: 240 * 60_000 }).map((ms) => ms / 60_000), { freq: 5 }),
    resolve: fc.option(fc.integer({ min: 0, max: 120 * 60_000 }).map((ms) => ms / 60_000), { freq: 8 }),
    verify: fc.option(fc.integer({ min: 0, max: 30 * 60_000 }).map((ms) => ms / 60_000), { freq: 4 }),
  }),
  { numRuns: 500, seed: 7 },
).map((s) => ({ ...s, service: 'spread' }));

/**
 * Eleven months alike and one with a single, extreme incident: the window the bulk of the incidents
 * agree on holds the total's median; the one spanning every month's median would be as wide as the data.
 */
const outlier: IncidentSpec[] = [
  ...Array.from({ length: 11 * 20 }, (_, i) => ({ detected: new Date(Date.UTC(2025, Math.floor(i / 20), 1 + (i % 20))).toISOString(), resolve: 10 + (i % 7), service: 'outlier' })),
  { detected: '2025-12-15T00:00:00Z', resolve: 10_000, service: 'outlier' },
];

/**
 * Two months whose medians (50 each) lie between two gaps, so that no value sits in the window
 * [50, 50]: the total's median (0 and 100 around it) must come from the fallback.
 */
const gap: IncidentSpec[] = [
  { detected: '2026-01-10T00:00:00Z', resolve: 0, service: 'gap' },
  { detected: '2026-01-11T00:00:00Z', resolve: 100, service: 'gap' },
  { detected: '2026-02-10T00:00:00Z', resolve: 0, service: 'gap' },
  { detected: '2026-02-11T00:00:00Z', resolve: 100, service: 'gap' },
];

describe.each(ENGINES)('report strategies on %s', (engine) => {
  let t: TestStore;
  beforeAll(async () => {
    t = await openTestStore(engine);
    await insertIncidents(t.store, [...tied, ...spread, ...gap, ...outlier]);
  });
  afterAll(async () => t?.cleanup());

  const cases: [string, MttrReportOptions][] = [
    ['ties', { service: 'tied', by: 'month' }],
    ['spread by week', { service: 'spread', by: 'week' }],
    ['spread, part of a year by month', { service: 'spread', by: 'month', since: Date.UTC(2025, 4, 17), until: Date.UTC(2026, 1, 3) }],
    ['a window with nothing in it', { service: 'gap', by: 'month' }],
    ['one month unlike the others', { service: 'outlier', by: 'month' }],
  ];

  it.each(cases)('gives percentile_cont’s figures, periods and total: %s', async (_, options) => {
    const report = await mttrReport(t.store, options);
    const { by: _by, ...filter } = options;
    expect(report.total.incidents).toBeGreaterThan(0);
    expect(report.total).toStrictEqual(await mttrTotal(t.store, filter));
    for (const p of report.periods) {
      const direct = await mttrTotal(t.store, { ...filter, since: Math.max(p.start!, filter.since ?? 0), until: Math.min(p.end!, filter.until ?? Infinity) });
      expect({ ...p, period: 'total', start: null, end: null }).toStrictEqual({ ...direct, start: null, end: null });
    }
  });

  it.each(cases)('gives the same figures by either path: %s', async (_, options) => {
    const { by, ...filter } = options;
    const span = await mttrReport(t.store, options);
    const periods = periodsCovering(span.periods[0]!.start!, span.periods.at(-1)!.end! - 1, by).map((p) => ({
      ...p,
      from: Math.max(p.start, filter.since ?? p.start),
      to: Math.min(p.end, filter.until ?? p.end),
    }));
    const keeper = t.store.report.keepPercentiles();
    const paths = [await periodRows(t.store, filter, periods, undefined)];
    if (keeper) paths.push(await periodRows(t.store, filter, periods, keeper));
    const [byRank, kept] = paths;
    const busy = (rows: typeof byRank) => rows!.filter((r) => Number(r.incidents) > 0);
    const stats = (rows: typeof byRank) => busy(rows).map((r, i) => toStats(r, String(i), null, null));
    if (kept) expect(stats(kept)).toStrictEqual(stats(byRank));
    const windowed = toStats(await totalRow(t.store, filter, busy(byRank!)), 'total', filter.since ?? null, filter.until ?? null);
    expect(windowed).toStrictEqual(span.total);
    // The same read in slices (as on several connections), split anywhere between periods.
    const cut = Math.floor(periods.length / 3);
    const slices = [
      { from: periods[0]!.from, to: periods[cut]!.from },
      { from: periods[cut]!.from, to: periods.at(-1)!.to },
    ];
    expect(toStats(await totalRow(t.store, filter, busy(byRank!), undefined, slices), 'total', filter.since ?? null, filter.until ?? null)).toStrictEqual(span.total);
    if (keeper && kept) {
      expect(toStats(await totalRow(t.store, filter, busy(kept), keeper), 'total', filter.since ?? null, filter.until ?? null)).toStrictEqual(span.total);
      keeper.release();
    }
  });

  it('narrows to a window when it holds the ranks, and falls back when it does not', async () => {
    const spy = vi.spyOn(t.store.report, 'percentilesCont');
    try {
      const periods = periodsCovering(Date.UTC(2025, 0, 1), Date.UTC(2026, 11, 31), 'month').map((p) => ({ ...p, from: p.start, to: p.end }));
      for (const [service, fallback] of [['spread', false], ['outlier', false], ['gap', true]] as const) {
        const rows = (await periodRows(t.store, { service }, periods, undefined)).filter((r) => Number(r.incidents) > 0);
        spy.mockClear();
        const total = toStats(await totalRow(t.store, { service }, rows), 'total', null, null);
        expect(spy.mock.calls.length > 0, service).toBe(fallback);
        if (service === 'gap') expect(total.mttr.median).toBe(50);
      }
    } finally {
      spy.mockRestore();
    }
  });
});
