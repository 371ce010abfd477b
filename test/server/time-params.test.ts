import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openTestApp, type TestApp } from '../helpers/app.js';
import { ENGINES } from '../helpers/stores.js';

/**
 * Every time parameter of the API has one reading: an ISO 8601 date or date-time, epoch milliseconds, or
 * a duration meaning that long ago ("15m"). Anything else is a 400 that names the parameter; nothing is
 * guessed (Date.parse reads "' OR '1'='1" as a day in 2001), and no value reaches the database unbounded.
 */

const MIN = 60_000;

describe.each(ENGINES)('time parameters on %s', (engine) => {
  let t: TestApp;
  let monitorId: number;
  beforeAll(async () => {
    t = await openTestApp({ engine });
    const now = t.clock.now();
    const row = await t.rt.store.db
      .insertInto('monitors')
      .values({ name: 'web', service: 'shop', type: 'http', config_hash: 'x', config: '{}', created_at: now, updated_at: now })
      .returning('id')
      .executeTakeFirstOrThrow();
    monitorId = Number(row.id);
  });
  afterAll(async () => t?.close());

  const get = (url: string) => t.app.inject({ method: 'GET', url, headers: t.as('viewer') });
  const urls = (param: string, value: string) => [
    `/api/incidents?${param === 'until' ? 'since' : param}=${value}`,
    `/api/reports/mttr?${param}=${value}`,
    `/api/deployments?${param === 'until' ? 'since' : param}=${value}`,
    `/api/monitors/MONITOR/results?${param}=${value}`,
    `/api/monitors/MONITOR/stats?${param}=${value}`,
  ];

  const JUNK = [
    ["' OR '1'='1", 'SQL in a parameter, which Date.parse read as 2001'],
    ['9'.repeat(400), '400 digits'],
    ['99999999999999999', 'epoch ms past the year 9999'],
    ['99999999999999999999d', 'a duration longer than time'],
    ['yesterday', 'a word'],
    ['Tue, 01 Dec 2026 10:00:00 GMT', 'an HTTP date'],
    ['2026-02-30', 'a day that does not exist'],
    ['-5m', 'a negative duration'],
    ['1.5e12', 'a number in exponent notation'],
  ];

  for (const [value, what] of JUNK) {
    it(`400 naming the parameter for ${what}`, async () => {
      for (const param of ['since', 'until']) {
        for (const url of urls(param, encodeURIComponent(value!))) {
          const res = await get(url.replace('MONITOR', String(monitorId)));
          expect(res.statusCode, `${url}: ${res.body}`).toBe(400);
          expect(res.json().message, url).toContain(url.includes('?since=') ? 'since' : 'until');
        }
      }
    });
  }

  it('reads ISO 8601, epoch milliseconds and durations ago alike', async () => {
    const now = t.clock.now();
    await t.app.inject({ method: 'POST', url: '/api/deployments', headers: t.as('responder'), payload: { service: 'pay', version: 'v1' } });
    const names = async (q: string) => ((await get(`/api/deployments?${q}`)).json().deployments as { version: string }[]).map((d) => d.version);
    for (const since of [String(now - MIN), new Date(now - MIN).toISOString(), encodeURIComponent('2026-11-27T12:59:00+01:00'), '15m', '2h', '1d', '2026-11-27']) {
      expect(await names(`since=${since}`), since).toEqual(['v1']);
    }
    for (const since of [String(now + MIN), '2026-11-28']) expect(await names(`since=${since}`), since).toEqual([]);

    const stats = (await get(`/api/monitors/${monitorId}/stats?since=90m&until=30m`)).json();
    expect(stats).toMatchObject({ since: now - 90 * MIN, until: now - 30 * MIN });
    expect((await get('/api/reports/mttr?since=30d&until=0')).statusCode).toBe(400);
    expect((await get('/api/reports/mttr?since=30d')).statusCode).toBe(200);
    expect((await get('/api/incidents?since=1h')).statusCode).toBe(200);
  });
});
