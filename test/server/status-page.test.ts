import { parseFeed } from '@rowanmanning/feed-parser';
import { setTimeout as sleep } from 'node:timers/promises';
import { gunzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { statusPageSchema } from '../../src/notify/status-page/index.js';
import { openTestApp, type TestApp } from '../helpers/app.js';
import { seedStatusWorld, STATUS_PAGE_CONFIG, type StatusWorld } from '../helpers/status-page.js';
import { ENGINES } from '../helpers/stores.js';

/** The public status page over HTTP, on both engines: the page, the JSON, the Atom feed, badges, and public updates. */
describe.each(ENGINES)('status page on %s', (engine) => {
  let t: TestApp;
  let world: StatusWorld;
  beforeAll(async () => {
    t = await openTestApp({ engine, config: `${STATUS_PAGE_CONFIG}\nserver: { public_url: "https://status.example.com/" }\n` });
    world = await seedStatusWorld(t.core, t.clock.now());
  });
  afterAll(async () => t?.close());

  const get = (url: string) => t.app.inject({ method: 'GET', url });
  const post = (id: number, payload: unknown, role: 'viewer' | 'responder' = 'responder') => t.app.inject({ method: 'POST', url: `/api/incidents/${id}/updates`, headers: t.as(role), payload: payload as object });
  /** Public answers are kept until an incident changes: wait for the change feed to drop them. */
  async function eventually(url: string, check: (body: string) => boolean): Promise<string> {
    for (let i = 0; i < 100; i++) {
      const body = (await get(url)).body;
      if (check(body)) return body;
      await sleep(100);
    }
    throw new Error(`${url} never changed as expected`);
  }

  it('answers the JSON without a token: listed services with 90 daily bars, states from monitors, the active incident', async () => {
    const res = await get('/api/public/status');
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toBe('application/json; charset=utf-8');
    expect(res.headers['cache-control']).toBe('public, max-age=5');
    const page = statusPageSchema.parse(res.json());
    expect(page.services.map((s) => [s.name, s.state])).toEqual([
      ['storefront', 'operational'],
      ['checkout', 'degraded'],
      ['payment-service', 'operational'],
    ]);
    expect(page.state).toBe('degraded');
    const checkout = page.services[1]!;
    expect(checkout.days).toHaveLength(90);
    expect(checkout.days.at(-1)!.date).toBe('2026-11-27');
    expect(checkout.days.at(-6)).toEqual({ date: '2026-11-22', uptime: 1410 / 1440, incidents: 0, level: 'partial_outage' });
    expect(checkout.days.at(-1)).toMatchObject({ incidents: 1, level: 'degraded' });
    expect(page.active_incidents).toEqual([
      expect.objectContaining({ id: world.checkoutIncident, title: 'Degraded performance: checkout', status: 'investigating', services: ['checkout'], updates: [expect.objectContaining({ status: 'investigating', automatic: true })] }),
    ]);
  });

  it('takes a public update from a responder, refuses bad ones, and shows it once the incident changes', async () => {
    expect((await post(world.checkoutIncident, { status: 'identified', message: 'x' }, 'viewer')).statusCode).toBe(403);
    for (const bad of [{ status: 'fixed', message: 'x' }, { status: 'identified', message: '   ' }, { status: 'identified' }, { status: 'identified', message: 'x', secret: 1 }, { status: 'identified', message: 'x'.repeat(5001) }]) {
      const res = await post(world.checkoutIncident, bad);
      expect(res.statusCode, JSON.stringify(bad)).toBe(400);
      expect(res.json().message).toMatch(/^body/);
    }
    expect((await post(999_999, { status: 'identified', message: 'x' })).statusCode).toBe(404);
    const hidden = await post(world.internalIncident, { status: 'identified', message: 'x' });
    expect(hidden.statusCode).toBe(409);
    expect(hidden.json().message).toMatch(/not on the status page/);

    await get('/api/public/status'); // kept from here on
    const ok = await post(world.checkoutIncident, { status: 'identified', message: 'A slow payment provider <b>upstream</b>.\nWe are routing around it.' });
    expect(ok.statusCode).toBe(200);
    const body = await eventually('/api/public/status', (b) => b.includes('routing around'));
    const incident = statusPageSchema.parse(JSON.parse(body)).active_incidents[0]!;
    expect(incident.status).toBe('identified');
    expect(incident.updates.map((u) => [u.status, u.automatic])).toEqual([
      ['identified', false],
      ['investigating', true],
    ]);
    const timeline = (await t.app.inject({ method: 'GET', url: `/api/incidents/${world.checkoutIncident}`, headers: t.as('viewer') })).json().timeline;
    expect(timeline.at(-1)).toMatchObject({ type: 'public_update', actor: 'r', payload: { status: 'identified', by: 'responder' }, text: expect.stringMatching(/^public update \(identified\): /) });
  });

  it('serves the HTML page without a token or a script, everything escaped', async () => {
    const res = await get('/status');
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toBe('text/html; charset=utf-8');
    const html = res.body;
    expect(html).not.toMatch(/<script/i);
    expect(html).toContain('<h1>Shop status</h1>');
    expect(html).toMatch(/<p class="overall s-degraded" role="status">.*Degraded performance<\/p>/);
    expect(html).toMatch(/<h3>checkout<\/h3><p class="state s-degraded">/);
    expect(html).toContain('title="2026-11-22: 97.91% uptime"');
    expect(html).toContain('A slow payment provider &lt;b&gt;upstream&lt;/b&gt;.');
    expect(html).toContain('1 day below 100%, the lowest 97.91% on 2026-11-22. Incidents on 1 day.');
    expect(html).toContain('<link rel="alternate" type="application/atom+xml" title="Shop status: updates" href="/status/feed.atom">');
  });

  it('sends each answer gzipped to a client that takes it, compressed once and the same as the plain one', async () => {
    const plain = await get('/status');
    expect(plain.headers['content-encoding']).toBeUndefined();
    expect(plain.headers.vary).toBe('accept-encoding');
    for (const encoding of ['gzip', 'br, gzip;q=0.8', '*']) {
      const zipped = await t.app.inject({ method: 'GET', url: '/status', headers: { 'accept-encoding': encoding } });
      expect(zipped.headers['content-encoding'], encoding).toBe('gzip');
      expect(gunzipSync(zipped.rawPayload).toString()).toBe(plain.body);
      expect(zipped.rawPayload.length).toBeLessThan(plain.rawPayload.length / 4);
    }
    for (const encoding of ['br', 'gzip;q=0', 'identity']) expect((await t.app.inject({ method: 'GET', url: '/status', headers: { 'accept-encoding': encoding } })).headers['content-encoding'], encoding).toBeUndefined();
    const json = await t.app.inject({ method: 'GET', url: '/api/public/status', headers: { 'accept-encoding': 'gzip' } });
    expect(JSON.parse(gunzipSync(json.rawPayload).toString())).toEqual((await get('/api/public/status')).json());
  });

  it('answers a client that has the kept rendering 304 without a body (If-None-Match), plain and gzipped apart', async () => {
    for (const url of ['/status', '/api/public/status', '/api/public/status/badge.svg']) {
      const plain = await get(url);
      const zipped = await t.app.inject({ method: 'GET', url, headers: { 'accept-encoding': 'gzip' } });
      const tag = plain.headers.etag as string;
      expect(tag, url).toMatch(/^"[\w-]+"$/);
      expect(zipped.headers.etag, url).not.toBe(tag);
      for (const [match, encoding, etag] of [[tag, undefined, tag], [`W/${tag}, "other"`, undefined, tag], [zipped.headers.etag as string, 'gzip', zipped.headers.etag]] as const) {
        const again = await t.app.inject({ method: 'GET', url, headers: { 'if-none-match': match, ...(encoding ? { 'accept-encoding': encoding } : {}) } });
        expect(again.statusCode, `${url} ${match}`).toBe(304);
        expect(again.rawPayload.length).toBe(0);
        expect(again.headers.etag).toBe(etag);
      }
      // Another rendering's tag (the gzipped one asked plainly, or an old one) is answered in full.
      for (const match of [zipped.headers.etag as string, '"old"']) expect((await t.app.inject({ method: 'GET', url, headers: { 'if-none-match': match } })).body, `${url} ${match}`).toBe(plain.body);
    }
  });

  it('serves an Atom feed of the public updates that a real feed parser reads', async () => {
    const res = await get('/status/feed.atom');
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toBe('application/atom+xml; charset=utf-8');
    const feed = parseFeed(res.body);
    expect(feed.meta.type).toBe('atom');
    expect(feed.title).toBe('Shop status');
    expect(feed.self).toBe('https://status.example.com/status/feed.atom');
    expect(feed.items.map((i) => i.title)).toEqual(['Identified: Degraded performance: checkout', 'Investigating: Degraded performance: checkout']);
    const [latest] = feed.items;
    expect(latest!.url).toBe(`https://status.example.com/status#incident-${world.checkoutIncident}`);
    // The words arrive as the responder wrote them; markup in them is escaped in the feed's HTML content,
    // so a reader shows it as text.
    expect(latest!.content).toBe('A slow payment provider <b>upstream</b>.\nWe are routing around it.');
    expect(res.body).toContain('A slow payment provider &lt;b&gt;upstream&lt;/b&gt;.');
    expect(res.body).not.toContain('<b>');
    expect(latest!.updated?.toISOString()).toBe('2026-11-27T12:00:00.000Z');
    expect(new Set(feed.items.map((i) => i.id)).size).toBe(2);
  });

  it('draws badges for listed services and the whole page; any other name is 404', async () => {
    const res = await get('/api/public/status/badge.svg?service=checkout');
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toBe('image/svg+xml; charset=utf-8');
    expect(res.body).toMatch(/^<svg [^>]*aria-label="checkout: degraded"/);
    expect((await get('/api/public/status/badge.svg')).body).toMatch(/aria-label="Shop status: degraded"/);
    const unlisted = await get('/api/public/status/badge.svg?service=internal-db');
    const unknown = await get('/api/public/status/badge.svg?service=nothing-here');
    expect([unlisted.statusCode, unknown.statusCode]).toEqual([404, 404]);
    expect(unlisted.json()).toEqual(unknown.json());
    expect((await get(`/api/public/status/badge.svg?service=${'x'.repeat(201)}`)).statusCode).toBe(400);
  });

  it('a closed incident takes only a "resolved" update', async () => {
    await t.app.inject({ method: 'POST', url: `/api/incidents/${world.checkoutIncident}/resolve`, headers: t.as('responder'), payload: {} });
    const { appendToIncident } = await import('../../src/incidents/index.js');
    await appendToIncident(t.core.incidents, world.checkoutIncident, [{ type: 'verified', actor: 'system' }]);
    expect((await post(world.checkoutIncident, { status: 'monitoring', message: 'x' })).statusCode).toBe(409);
    expect((await post(world.checkoutIncident, { status: 'resolved', message: 'Postmortem to follow.' })).statusCode).toBe(200);
    const body = await eventually('/api/public/status', (b) => b.includes('Postmortem to follow'));
    const page = statusPageSchema.parse(JSON.parse(body));
    expect(page.active_incidents).toEqual([]);
    expect(page.recent_incidents[0]).toMatchObject({ id: world.checkoutIncident, status: 'resolved', active: false, resolved_at: '2026-11-27T12:00:00.000Z' });
    expect(page.recent_incidents[0]!.updates.map((u) => u.status)).toEqual(['resolved', 'resolved', 'monitoring', 'identified', 'investigating']);
  });
});

describe('status page limits and absence', () => {
  it('limits requests per client address, believing X-Forwarded-For only from server.trust_proxy; the API is not limited', async () => {
    const t = await openTestApp({ config: `${STATUS_PAGE_CONFIG.replace('history: 90d', 'history: 7d\n  rate_limit_per_minute: 3')}\nserver: { trust_proxy: ["127.0.0.1"] }\n` });
    try {
      const from = (remoteAddress: string, client?: string) =>
        t.app.inject({ method: 'GET', url: '/api/public/status', remoteAddress, headers: client ? { 'x-forwarded-for': client } : {} });
      expect([(await from('127.0.0.1', '203.0.113.7')).statusCode, (await from('127.0.0.1', '203.0.113.7')).statusCode, (await from('127.0.0.1', '203.0.113.7')).statusCode]).toEqual([200, 200, 200]);
      const limited = await from('127.0.0.1', '203.0.113.7');
      expect(limited.statusCode).toBe(429);
      expect(limited.json()).toEqual({ error: 'Too Many Requests', message: expect.stringMatching(/too many requests from this address; try again in/) });
      expect(Number(limited.headers['retry-after'])).toBeGreaterThan(0);
      // The same page, the feed and badges share the address's budget.
      expect((await t.app.inject({ method: 'GET', url: '/status', remoteAddress: '127.0.0.1', headers: { 'x-forwarded-for': '203.0.113.7' } })).statusCode).toBe(429);
      // Another client behind the trusted proxy has its own budget.
      expect((await from('127.0.0.1', '203.0.113.8')).statusCode).toBe(200);
      // An address that is not a trusted proxy cannot pick its address with the header.
      for (let i = 0; i < 3; i++) expect((await from('198.51.100.1', `192.0.2.${i}`)).statusCode).toBe(200);
      expect((await from('198.51.100.1', '192.0.2.99')).statusCode).toBe(429);
      // The API and its tokens are another matter.
      expect((await t.app.inject({ method: 'GET', url: '/api/incidents', remoteAddress: '127.0.0.1', headers: { 'x-forwarded-for': '203.0.113.7', ...t.as('viewer') } })).statusCode).toBe(200);
    } finally {
      await t.close();
    }
  });

  it('without status_page: nothing is public, and a public update says there is no page', async () => {
    const t = await openTestApp({ config: 'services: [{ name: checkout }]' });
    try {
      for (const url of ['/status', '/status/feed.atom', '/api/public/status', '/api/public/status/badge.svg?service=checkout']) expect((await t.app.inject({ method: 'GET', url })).statusCode, url).toBe(404);
      const { ingestAlerts } = await import('../../src/incidents/index.js');
      const { alert } = await import('../helpers/incidents.js');
      const [r] = await ingestAlerts(t.core.incidents, [alert({ service: 'checkout' })], 'alertmanager');
      const res = await t.app.inject({ method: 'POST', url: `/api/incidents/${r!.incidentId}/updates`, headers: t.as('responder'), payload: { status: 'identified', message: 'x' } });
      expect(res.statusCode).toBe(409);
      expect(res.json().message).toMatch(/there is no status page/);
    } finally {
      await t.close();
    }
  });
});
