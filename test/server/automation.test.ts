import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openTestApp, type TestApp } from '../helpers/app.js';
import { ENGINES } from '../helpers/stores.js';
import { incidentRow } from '../report/helpers.js';

const DAY = 86_400_000;

describe.each(ENGINES)('GET /api/reports/automation on %s', (engine) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await openTestApp({
      engine,
      config: `remediation:\n  - { alert: DiskFull, action: { type: webhook, url: "http://127.0.0.1:9/fix" } }\n`,
    });
    const now = t.clock.now();
    const at = (daysAgo: number) => new Date(now - daysAgo * DAY).toISOString();
    await t.rt.store.db
      .insertInto('incidents')
      .values([
        ...[1, 2].map((d) => ({ ...incidentRow({ detected: at(d), service: 'db', resolve: 10 }), alert_name: 'DiskFull' })),
        { ...incidentRow({ detected: at(3), service: 'payment', resolve: 40 }), alert_name: 'HighErrorRate' },
        { ...incidentRow({ detected: at(100), service: 'payment', resolve: 40 }), alert_name: 'HighErrorRate' },
      ])
      .execute();
  });
  afterAll(async () => t?.close());

  const get = (query = '', headers: Record<string, string> = t.as('viewer')) => t.app.inject({ method: 'GET', url: `/api/reports/automation${query}`, headers });

  it('ranks the last 90 days for a viewer, the types lacking automation first', async () => {
    const res = await get();
    expect(res.statusCode).toBe(200);
    const now = t.clock.now();
    expect(res.json()).toEqual({
      since: now - 90 * DAY,
      until: now,
      top: 2,
      types: [
        { alert: 'DiskFull', service: 'db', incidents: 2, time_lost_ms: 20 * 60_000, median_mttr_ms: 10 * 60_000, runbook: false, remediation: true },
        { alert: 'HighErrorRate', service: 'payment', incidents: 1, time_lost_ms: 40 * 60_000, median_mttr_ms: 40 * 60_000, runbook: false, remediation: false },
      ],
    });
    // Two each: the one that cost more time ranks first.
    expect((await get('?since=120d')).json().types[0]).toMatchObject({ alert: 'HighErrorRate', incidents: 2, time_lost_ms: 80 * 60_000 });
  });

  it('answers bad input with a 400 and no token with a 401', async () => {
    expect((await get('?since=yesterday-ish')).statusCode).toBe(400);
    const future = await get('?since=2999-01-01');
    expect(future.statusCode).toBe(400);
    expect(future.json().message).toBe('since must be in the past');
    expect((await get('', {})).statusCode).toBe(401);
  });
});
