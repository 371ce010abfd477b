import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { toJson } from '../../src/store/index.js';
import { openTestApp, type TestApp } from '../helpers/app.js';
import { ENGINES } from '../helpers/stores.js';

/**
 * Every JSON body Medic accepts goes through one parser (server/input.ts): nested deeper than MAX_JSON_DEPTH it is a 400
 * naming the limit (not a RangeError and a 500 when it is stored), and NUL bytes and the other C0
 * controls but tab and newline are gone from every string (PostgreSQL refuses a NUL in text).
 */

/** `{ "d": { "d": … leaf … } }`, `levels` objects deep, as JSON text (JSON.stringify itself overflows at a few thousand). */
function nested(levels: number, leaf = '"x"'): string {
  return '{"d":'.repeat(levels) + leaf + '}'.repeat(levels);
}

/** The documented limit (README, Limits on what Medic accepts). */
const MAX_JSON_DEPTH = 32;

const pdEvent = (customDetails: string, extra = '') =>
  `{"routing_key":"rk","event_action":"trigger","dedup_key":"deep-${Math.random()}","payload":{"summary":"Deep details${extra}","source":"db-1","severity":"critical","custom_details":${customDetails}}}`;

describe.each(ENGINES)('JSON request bodies on %s', (engine) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await openTestApp({ engine, config: 'flags: [{ key: dark_mode, enabled: true }]' });
  });
  afterAll(async () => t?.close());

  const post = (url: string, payload: string, headers: Record<string, string> = t.as('responder')) =>
    t.app.inject({ method: 'POST', url, headers: { ...headers, 'content-type': 'application/json' }, payload });
  const count = async () => Number((await t.rt.store.db.selectFrom('alerts').select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow()).n);

  it('PagerDuty custom_details nested 5,000 deep: 400 naming the limit, nothing stored', async () => {
    const before = await count();
    const res = await post('/api/alerts/pagerduty/v2/enqueue', pdEvent(nested(5000)));
    expect(res.statusCode, res.body).toBe(400);
    expect(res.json().message).toContain(`nested deeper than ${MAX_JSON_DEPTH} levels`);
    expect(await count()).toBe(before);
  });

  it('a body exactly at the limit is taken, one level more is refused, on every endpoint', async () => {
    // custom_details is the third level (event → payload → custom_details): 30 objects from there reach 32.
    const ok = await post('/api/alerts/pagerduty/v2/enqueue', pdEvent(nested(MAX_JSON_DEPTH - 2)));
    expect(ok.statusCode, ok.body).toBe(202);
    expect((await post('/api/alerts/pagerduty/v2/enqueue', pdEvent(nested(MAX_JSON_DEPTH - 1)))).statusCode).toBe(400);
    const deepArray = '['.repeat(MAX_JSON_DEPTH + 1) + ']'.repeat(MAX_JSON_DEPTH + 1);
    for (const url of ['/api/alerts/webhook', '/api/alerts/alertmanager', '/api/deployments', '/api/silences']) {
      const res = await post(url, deepArray);
      expect(res.statusCode, `${url} ${res.body}`).toBe(400);
      expect(res.json().message, url).toContain(`nested deeper than ${MAX_JSON_DEPTH} levels`);
    }
  });

  it('OFREP answers a too-deep context in its own error shape', async () => {
    const res = await post('/ofrep/v1/evaluate/flags/dark_mode', `{"context":${nested(50)}}`, { 'x-api-key': t.tokens.viewer });
    expect(res.statusCode).toBe(400);
    expect(res.json()).toStrictEqual({ key: 'dark_mode', errorCode: 'PARSE_ERROR', errorDetails: expect.stringContaining(`nested deeper than ${MAX_JSON_DEPTH} levels`) });
    const bulk = await post('/ofrep/v1/evaluate/flags', `{"context":${nested(50)}}`, { 'x-api-key': t.tokens.viewer });
    expect(bulk.statusCode).toBe(400);
    expect(bulk.json()).toMatchObject({ errorCode: 'PARSE_ERROR' });
    // A context of ordinary depth still evaluates.
    expect((await post('/ofrep/v1/evaluate/flags/dark_mode', '{"context":{"targetingKey":"u1","a":{"b":{"c":1}}}}', { 'x-api-key': t.tokens.viewer })).statusCode).toBe(200);
  });

  it('strips NUL and the other C0 controls but tab and newline from every string of a body', async () => {
    const res = await post('/api/deployments', JSON.stringify({ service: 'pay\u0000ments', version: 'v1\u0007.2\u001b[31m', commit: 'abc\tdef' }));
    expect(res.statusCode, res.body).toBe(201);
    expect(res.json()).toMatchObject({ service: 'payments', version: 'v1.2[31m', commit: 'abc\tdef' });
    const stored = await t.rt.store.db.selectFrom('deployments').select(['service', 'version']).where('service', '=', 'payments').executeTakeFirstOrThrow();
    expect(stored).toEqual({ service: 'payments', version: 'v1.2[31m' });

    // Keys too: a label name with a NUL is the label without it.
    const wh = await post('/api/alerts/webhook', JSON.stringify({ name: 'Disk\u0000Full', service: 'db', labels: { 'ho\u0000st': 'db-1\r\n' }, description: 'line 1\nline\t2\u0000' }));
    expect(wh.statusCode, wh.body).toBe(200);
    const alert = await t.rt.store.db.selectFrom('alerts').select(['name', 'labels', 'annotations']).where('name', '=', 'DiskFull').executeTakeFirstOrThrow();
    expect(JSON.parse(alert.labels)).toMatchObject({ host: 'db-1\n' });
    expect(JSON.parse(alert.annotations)).toMatchObject({ description: 'line 1\nline\t2' });
  });

  it('strips them from query strings and path parameters too', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/api/incidents?service=pay%00ments', headers: t.as('viewer') });
    expect(res.statusCode, res.body).toBe(200);
    const flag = await t.app.inject({ method: 'GET', url: '/api/flags/dark%00_mode', headers: t.as('viewer') });
    expect(flag.statusCode, flag.body).toBe(200);
    expect(flag.json()).toMatchObject({ key: 'dark_mode' });
    const ping = await t.app.inject({ method: 'GET', url: '/api/heartbeat/no%00such-token' });
    expect(ping.statusCode, ping.body).toBe(404);
  });
});

describe('stored JSON', () => {
  it('never throws on a value nested deeper than JSON.stringify can recurse', () => {
    let deep: Record<string, unknown> = { leaf: true };
    for (let i = 0; i < 100_000; i++) deep = { d: deep };
    expect(() => JSON.stringify(deep)).toThrow(RangeError);
    const text = toJson({ details: deep });
    expect(text.length).toBeLessThan(10_000);
    expect(JSON.parse(text)).toMatchObject({ details: { d: { d: {} } } });
    expect(text).toContain('nested too deep');
  });
});
