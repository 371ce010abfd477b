import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { assessMaturity, mttrGaugeSamples, mttrReport, type MttrReportOptions } from '../../src/report/index.js';
import { openTestStore, type TestStore } from '../helpers/stores.js';
import { insertIncidents, type IncidentSpec } from './helpers.js';

/** Random incidents over 2026, some phases never recorded, some never resolved, durations to the millisecond. */
const incidents: IncidentSpec[] = fc.sample(
  fc.record({
    detected: fc.integer({ min: Date.UTC(2026, 0, 1), max: Date.UTC(2027, 0, 10) }).map((ms) => new Date(ms).toISOString()),
    detect: fc.double({ min: 0, max: 30, noNaN: true }).map((m) => Math.round(m * 60_000) / 60_000),
    diagnose: fc.option(fc.integer({ min: 0, max: 240 * 60_000 }).map((ms) => ms / 60_000), { freq: 5 }),
    resolve: fc.option(fc.integer({ min: 0, max: 120 * 60_000 }).map((ms) => ms / 60_000), { freq: 8 }),
    verify: fc.option(fc.integer({ min: 0, max: 30 * 60_000 }).map((ms) => ms / 60_000), { freq: 4 }),
    service: fc.constantFrom('checkout', 'payments', 'search'),
    severity: fc.constantFrom('P1', 'P2', 'P3'),
  }),
  { numRuns: 400, seed: 20260101 },
);

describe('the same incidents on SQLite and PostgreSQL', () => {
  let sqlite: TestStore;
  let postgres: TestStore;
  beforeAll(async () => {
    [sqlite, postgres] = await Promise.all([openTestStore('sqlite'), openTestStore('postgres')]);
    await Promise.all([insertIncidents(sqlite.store, incidents), insertIncidents(postgres.store, incidents)]);
  });
  afterAll(async () => {
    await sqlite?.cleanup();
    await postgres?.cleanup();
  });

  const cases: [string, MttrReportOptions][] = [
    ['by month', { by: 'month' }],
    ['by week', { by: 'week' }],
    ['one service, one quarter, by week', { by: 'week', service: 'payments', since: Date.UTC(2026, 3, 1), until: Date.UTC(2026, 6, 1) }],
    ['one severity', { by: 'month', severity: 'P1' }],
  ];
  it.each(cases)('give identical reports: %s', async (_, options) => {
    const [a, b] = await Promise.all([mttrReport(sqlite.store, options), mttrReport(postgres.store, options)]);
    expect(a.total.incidents).toBeGreaterThan(0);
    expect(a).toStrictEqual(b);
  });

  it('give identical maturity assessments and gauge values', async () => {
    const range = { since: Date.UTC(2026, 6, 1), until: Date.UTC(2027, 0, 1) };
    expect(await assessMaturity(sqlite.store, range)).toStrictEqual(await assessMaturity(postgres.store, range));
    const now = Date.UTC(2026, 9, 1);
    const [a, b] = await Promise.all([mttrGaugeSamples(sqlite.store, { now }), mttrGaugeSamples(postgres.store, { now })]);
    expect(a).toHaveLength(10);
    expect(a).toStrictEqual(b);
  });
});
