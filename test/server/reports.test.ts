import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openTestApp, type TestApp } from '../helpers/app.js';
import { ENGINES } from '../helpers/stores.js';
import { insertIncidents } from '../report/helpers.js';
import { KNOWN } from '../report/known.js';

describe.each(ENGINES)('GET /api/reports/mttr on %s', (engine) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await openTestApp({ engine });
    await insertIncidents(t.rt.store, KNOWN);
  });
  afterAll(async () => t?.close());

  const get = (query: string, role: 'viewer' | 'responder' = 'viewer') => t.app.inject({ method: 'GET', url: `/api/reports/mttr${query}`, headers: t.as(role) });

  it('answers the report, maturity and bottleneck with the hand-computed figures (known.ts)', async () => {
    const res = await get('');
    expect(res.statusCode).toBe(200);
    const body = res.json();
    expect(body.report.periods.map((p: { period: string; incidents: number }) => [p.period, p.incidents])).toEqual([
      ['2026-03', 3],
      ['2026-04', 3],
    ]);
    // MTTR 10, 20, 30, 40, 60, 120 minutes
    expect(body.report.total.mttr).toEqual({ mean: 280 / 6, median: 35, p90: 90, max: 120 });
    expect(body.report.total.phases.diagnose).toEqual({ mean: 22.5, median: 17.5, share: 135 / 280 });
    expect(body.report.total.resolvedMinusDetected).toEqual({ incidents: 5, mean: 40.8, median: 30 });
    expect(body.maturity).toMatchObject({ level: 'Intermediate', medianMinutes: 35, incidents: 6, previous: null, trend: null });
    expect(body.bottleneck).toMatchObject({ phase: 'diagnose', share: 135 / 280 });
    expect(body.bottleneck.lever).toMatch(/observability and runbooks/);
  });

  it('filters by time (ISO-8601), service and severity, and compares with the range before', async () => {
    const april = (await get('?since=2026-04-01T00:00:00Z&until=2026-05-01T00:00:00Z')).json();
    expect(april.report.total).toMatchObject({ incidents: 3, mttr: { median: 60, p90: 108 } });
    // The range before is as long (30 days): 2026-03-02 … 2026-04-01, with A, B and C.
    expect(april.maturity).toMatchObject({ level: 'Basic', medianMinutes: 60, previous: { medianMinutes: 20, incidents: 3 }, trend: 'worsening' });
    const payments = (await get('?service=payments&severity=P1&by=week')).json();
    expect(payments.report.by).toBe('week');
    expect(payments.report.total).toMatchObject({ incidents: 2, mttr: { median: 50 } });
    expect(payments.report.periods.map((p: { period: string }) => p.period)).toEqual(['2026-W11', '2026-W14']);
  });

  it('answers 400 to bad input and 401 without a token', async () => {
    expect((await get('?by=year')).statusCode).toBe(400);
    expect((await get('?since=yesterday')).statusCode).toBe(400);
    expect((await get('?severity=P9')).statusCode).toBe(400);
    expect((await get('?since=2026-05-01T00:00:00Z&until=2026-04-01T00:00:00Z')).statusCode).toBe(400);
    expect((await t.app.inject({ method: 'GET', url: '/api/reports/mttr' })).statusCode).toBe(401);
  });
});

describe('medic_mttr_seconds on /metrics', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await openTestApp();
  });
  afterAll(async () => t?.close());

  const scrape = async () => (await t.app.inject({ method: 'GET', url: '/metrics' })).body;
  const sample = (text: string, phase: string, quantile: string) => {
    const m = new RegExp(`^medic_mttr_seconds\\{phase="${phase}",quantile="${quantile}"\\} (\\S+)$`, 'm').exec(text);
    return m ? Number(m[1]) : undefined;
  };

  it('gives the last 30 days’ median and p90 per phase, read at most every 30 seconds', async () => {
    const now = t.clock.now();
    const day = (n: number) => new Date(now - n * 86_400_000).toISOString();
    expect(await scrape()).toContain('# TYPE medic_mttr_seconds gauge');
    expect(sample(await scrape(), 'total', '0.5')).toBeUndefined();
    t.clock.advance(10_000);
    await insertIncidents(t.rt.store, [
      { detected: day(1), detect: 1, diagnose: 4, resolve: 3, verify: 2 },
      { detected: day(2), detect: 2, diagnose: 8, resolve: 6, verify: 4 },
      { detected: day(40), detect: 50, diagnose: 50, resolve: 50, verify: 50 },
    ]);
    // Still the cached (empty) answer within 30 seconds of the last read.
    expect(sample(await scrape(), 'total', '0.5')).toBeUndefined();
    t.clock.advance(20_000);
    const text = await scrape();
    // MTTR 10 and 20 minutes: median 15 min = 900 s, p90 at 0.9 → 10 + 0.9 × 10 = 19 min = 1140 s.
    expect(sample(text, 'total', '0.5')).toBe(900);
    expect(sample(text, 'total', '0.9')).toBeCloseTo(1140, 6);
    expect(sample(text, 'detect', '0.5')).toBe(90);
    expect(sample(text, 'verify', '0.5')).toBe(180);
  });
});
