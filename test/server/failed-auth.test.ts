import { request as httpRequest } from 'node:http';
import { OFREPProvider } from '@openfeature/ofrep-provider';
import { OpenFeature } from '@openfeature/server-sdk';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfigText } from '../../src/config/index.js';
import { createToken } from '../../src/store/index.js';
import { startAlertmanager } from '../helpers/alertmanager.js';
import { openTestApp, type TestApp } from '../helpers/app.js';
import { startNginxProxy, type NginxProxy } from '../helpers/nginx.js';

/**
 * The failed-authentication limit (auth.failed_auth_per_minute, 30 by default) slows token guessing per
 * client address. It must never lock out a valid token: everyone behind one proxy or NAT shares an
 * address, and a guesser there would otherwise stop Alertmanager and every flag SDK. Behind a reverse
 * proxy, the client address comes from X-Forwarded-For, but only when the request comes from a proxy
 * listed in server.trust_proxy.
 */

const FLAGS = 'flags:\n  - { key: new_checkout_flow, enabled: true }\n';
const ALERTMANAGER_BODY = {
  version: '4',
  groupKey: '{}:{alertname="DiskFull"}',
  truncatedAlerts: 0,
  status: 'firing',
  receiver: 'medic',
  groupLabels: { alertname: 'DiskFull' },
  commonLabels: { alertname: 'DiskFull' },
  commonAnnotations: {},
  externalURL: 'http://alertmanager.local',
  alerts: [{ status: 'firing', labels: { alertname: 'DiskFull', service: 'db', severity: 'warning' }, annotations: {}, startsAt: '2026-11-27T11:59:00Z', endsAt: '0001-01-01T00:00:00Z', generatorURL: '', fingerprint: 'f1' }],
};

/** One HTTP request from a chosen loopback address (Linux answers on all of 127.0.0.0/8). */
function call(url: string, options: { method?: string; headers?: Record<string, string>; body?: unknown; from?: string } = {}): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const payload = options.body === undefined ? undefined : JSON.stringify(options.body);
    const req = httpRequest(
      url,
      {
        method: options.method ?? 'GET',
        localAddress: options.from ?? '127.0.0.1',
        headers: { ...(payload ? { 'content-type': 'application/json' } : {}), ...options.headers },
      },
      (res) => {
        let body = '';
        res.on('data', (d) => (body += d));
        res.on('end', () => resolve({ status: res.statusCode!, body }));
      },
    );
    req.on('error', reject);
    req.end(payload);
  });
}

const bearer = (token: string) => ({ authorization: `Bearer ${token}` });

async function failMany(url: string, n: number, options: { from?: string; headers?: Record<string, string> } = {}): Promise<number[]> {
  const statuses: number[] = [];
  for (let i = 0; i < n; i++) statuses.push((await call(`${url}/api/incidents`, { ...options, headers: { ...options.headers, ...bearer(`mdk_guess_${i}`) } })).status);
  return statuses;
}

describe('the failed-auth limit and valid tokens (default limit, one address)', () => {
  let t: TestApp;
  let url: string;
  let flagsToken: string;
  beforeAll(async () => {
    t = await openTestApp({ config: FLAGS });
    flagsToken = (await createToken(t.rt.store.db, { name: 'shop', role: 'flags', source: 'cli' }, t.clock.now())).token;
    url = await t.app.listen({ port: 0, host: '127.0.0.1' });
  });
  afterAll(async () => t?.close());

  it('after 30+ bad tokens, a valid responder token still gets 200 on alert ingest and OFREP; bad tokens get 429', async () => {
    const statuses = await failMany(url, 35);
    expect(statuses.slice(0, 30).every((s) => s === 401)).toBe(true);
    expect(statuses.slice(30)).toEqual([429, 429, 429, 429, 429]);

    const ingest = await call(`${url}/api/alerts/alertmanager`, { method: 'POST', headers: bearer(t.tokens.responder), body: ALERTMANAGER_BODY });
    expect(ingest.status, ingest.body).toBe(200);
    expect(JSON.parse(ingest.body)).toMatchObject({ received: 1 });
    const webhook = await call(`${url}/api/alerts/webhook?token=${t.tokens.responder}`, { method: 'POST', body: { name: 'CartTimeouts', service: 'checkout' } });
    expect(webhook.status).toBe(200);
    const single = await call(`${url}/ofrep/v1/evaluate/flags/new_checkout_flow`, { method: 'POST', headers: bearer(t.tokens.responder), body: { context: { targetingKey: 'u1' } } });
    expect(single.status).toBe(200);
    expect(JSON.parse(single.body)).toMatchObject({ key: 'new_checkout_flow', value: true });
    const bulk = await call(`${url}/ofrep/v1/evaluate/flags`, { method: 'POST', headers: { 'x-api-key': t.tokens.responder }, body: { context: { targetingKey: 'u1' } } });
    expect(bulk.status).toBe(200);

    // Still blocked for guesses, and for requests without a token.
    expect((await call(`${url}/api/incidents`, { headers: bearer('mdk_one_more_guess') })).status).toBe(429);
    expect((await call(`${url}/ofrep/v1/configuration`)).status).toBe(429);
    // The block ends with the minute.
    t.clock.advance(61_000);
    expect((await call(`${url}/api/incidents`, { headers: bearer('mdk_after_the_minute') })).status).toBe(401);
  });

  it('an OpenFeature SDK with a flags token keeps evaluating from a blocked address', async () => {
    expect((await failMany(url, 31)).at(-1)).toBe(429);
    const domain = 'failed-auth';
    await OpenFeature.setProviderAndWait(domain, new OFREPProvider({ baseUrl: url, headers: { 'X-API-Key': flagsToken } }));
    try {
      const details = await OpenFeature.getClient(domain).getBooleanDetails('new_checkout_flow', false, { targetingKey: 'u1' });
      expect(details.errorCode).toBeUndefined();
      expect(details.value).toBe(true);
    } finally {
      await OpenFeature.clearProviders();
    }
  });
});

describe('a real Alertmanager delivers while its address is blocked by guesses', () => {
  it('opens the incident', async () => {
    const t = await openTestApp();
    const url = await t.app.listen({ port: 0, host: '127.0.0.1' });
    const am = await startAlertmanager({ url: `${url}/api/alerts/alertmanager`, token: t.tokens.responder });
    try {
      // Alertmanager connects from 127.0.0.1, like the guesser.
      expect((await failMany(url, 31)).at(-1)).toBe(429);
      await am.push([{ labels: { alertname: 'QueueStuck', service: 'worker', severity: 'critical' }, annotations: { summary: 'queue stuck' } }]);
      const until = Date.now() + 20_000;
      let titles: string[] = [];
      while (Date.now() < until) {
        const res = await t.app.inject({ method: 'GET', url: '/api/incidents', headers: t.as('viewer') });
        titles = (res.json().incidents as { alertName: string }[]).map((i) => i.alertName);
        if (titles.includes('QueueStuck')) break;
        await new Promise((r) => setTimeout(r, 200));
      }
      expect(titles).toContain('QueueStuck');
    } finally {
      await am.stop();
      await t.close();
    }
  }, 60_000);
});

describe('server.trust_proxy behind a real nginx', () => {
  let trusting: TestApp;
  let untrusting: TestApp;
  let viaTrusting: NginxProxy;
  let viaUntrusting: NginxProxy;
  let direct: string;
  beforeAll(async () => {
    // nginx connects from 127.0.0.1: listed in one, not in the other.
    trusting = await openTestApp({ config: 'server: { trust_proxy: ["127.0.0.1", "10.0.0.0/8"] }' });
    untrusting = await openTestApp({ config: 'server: { trust_proxy: ["10.0.0.0/8", "::1"] }' });
    direct = await trusting.app.listen({ port: 0, host: '127.0.0.1' });
    viaTrusting = await startNginxProxy(direct);
    viaUntrusting = await startNginxProxy(await untrusting.app.listen({ port: 0, host: '127.0.0.1' }));
  }, 60_000);
  afterAll(async () => {
    await viaTrusting?.stop();
    await viaUntrusting?.stop();
    await trusting?.close();
    await untrusting?.close();
  });

  it('takes the client address from X-Forwarded-For when the request comes from a listed proxy', async () => {
    // Client .2 guesses through the proxy and is blocked; client .3, behind the same proxy, is not.
    expect((await failMany(viaTrusting.url, 31, { from: '127.0.0.2' })).at(-1)).toBe(429);
    expect((await failMany(viaTrusting.url, 1, { from: '127.0.0.3' }))[0]).toBe(401);
    // A forged X-Forwarded-For does not get .2 out: nginx appends the real address, and that one counts.
    expect((await failMany(viaTrusting.url, 1, { from: '127.0.0.2', headers: { 'x-forwarded-for': '127.0.0.3' } }))[0]).toBe(429);
    // …and the blocked client's valid token still works.
    expect((await call(`${viaTrusting.url}/api/incidents`, { from: '127.0.0.2', headers: trusting.as('viewer') })).status).toBe(200);
  });

  it('ignores X-Forwarded-For from a client that is not a listed proxy', async () => {
    // Straight to Medic from .4, claiming to be someone else each time: all of it counts against .4.
    const forged = [];
    for (let i = 0; i < 31; i++) forged.push((await call(`${direct}/api/incidents`, { from: '127.0.0.4', headers: { ...bearer(`mdk_guess_${i}`), 'x-forwarded-for': `198.51.100.${i}` } })).status);
    expect(forged.at(-1)).toBe(429);
    expect((await call(`${direct}/api/incidents`, { from: '127.0.0.4', headers: { ...bearer('mdk_x'), 'x-forwarded-for': '198.51.100.200' } })).status).toBe(429);
    // The client whose address it claimed is not blocked.
    expect((await call(`${direct}/api/incidents`, { from: '127.0.0.5', headers: bearer('mdk_y') })).status).toBe(401);
  });

  it('ignores X-Forwarded-For from a proxy that is not listed: everyone behind it is one address', async () => {
    expect((await failMany(viaUntrusting.url, 31, { from: '127.0.0.2' })).at(-1)).toBe(429);
    // Another client behind the same unlisted proxy shares the block for guesses…
    expect((await failMany(viaUntrusting.url, 1, { from: '127.0.0.3' }))[0]).toBe(429);
    // …but never for a valid token.
    expect((await call(`${viaUntrusting.url}/api/incidents`, { from: '127.0.0.3', headers: untrusting.as('viewer') })).status).toBe(200);
  });
});

describe('server.trust_proxy in medic.yaml', () => {
  it('accepts addresses and CIDR ranges, IPv4 and IPv6, and is empty by default', () => {
    const ok = loadConfigText('server: { trust_proxy: ["127.0.0.1", "10.0.0.0/8", "::1", "fd00::/8"] }\n', { env: {} });
    expect(ok.config.server.trust_proxy).toEqual(['127.0.0.1', '10.0.0.0/8', '::1', 'fd00::/8']);
    expect(loadConfigText('', { env: {} }).config.server.trust_proxy).toEqual([]);
  });

  it('rejects what is neither, naming the entry', () => {
    expect(() => loadConfigText('server: { trust_proxy: ["nginx.internal"] }\n', { env: {} })).toThrow(/server\.trust_proxy\[0\]: expected an IP address or a CIDR range/);
    expect(() => loadConfigText('server: { trust_proxy: ["10.0.0.0/33"] }\n', { env: {} })).toThrow(/server\.trust_proxy\[0\]/);
  });
});
