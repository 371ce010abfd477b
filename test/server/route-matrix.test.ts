import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createToken } from '../../src/store/index.js';
import { openTestApp, type TestApp } from '../helpers/app.js';
import { STATUS_PAGE_CONFIG } from '../helpers/status-page.js';

/**
 * Every route with a declared access level, with no token, a wrong token, and each role: who gets in is
 * exactly what the route declares. Routes come from the app's own table, so a new route is covered
 * without touching this file.
 */
const ROLES = ['flags', 'viewer', 'responder', 'admin'] as const;
type Role = (typeof ROLES)[number];
/** The ladder viewer < responder < admin, and `flags` beside it: every role may evaluate flags, a flags token nothing else. */
const ALLOWED: Record<Role, readonly Role[]> = {
  flags: ['flags', 'viewer', 'responder', 'admin'],
  viewer: ['viewer', 'responder', 'admin'],
  responder: ['responder', 'admin'],
  admin: ['admin'],
};
const STREAMING = new Set(['/api/stream']);

describe('role × route matrix', () => {
  let t: TestApp;
  let headers: (role: Role) => { authorization: string };
  beforeAll(async () => {
    t = await openTestApp({ config: `auth: { failed_auth_per_minute: 1000000 }\n${STATUS_PAGE_CONFIG}` });
    const flags = (await createToken(t.rt.store.db, { name: 'app', role: 'flags', source: 'cli' }, t.clock.now())).token;
    headers = (role) => (role === 'flags' ? { authorization: `Bearer ${flags}` } : t.as(role));
  });
  afterAll(async () => t?.close());

  const protectedRoutes = () => t.app.accessTable.filter((r) => r.access !== 'public');
  // An id that exists nowhere: the matrix must not delete the tokens it authenticates with.
  const sample = (url: string) => url.replace(/:(\w+)/g, '999999');

  it('finds every API route, each with a known access level', () => {
    expect(t.app.accessTable.length).toBeGreaterThan(12);
    expect(t.app.accessTable.every((r) => r.access === 'public' || r.access in ALLOWED)).toBe(true);
    expect(t.app.accessTable.filter((r) => r.access === 'public').map((r) => r.url)).toEqual(expect.arrayContaining(['/healthz', '/metrics']));
    expect(t.app.accessTable).toContainEqual({ method: 'GET', url: '/api/command-center', access: 'viewer' });
    // The status page is public; writing to it is a responder's.
    expect(t.app.accessTable.filter((r) => r.access === 'public').map((r) => `${r.method} ${r.url}`)).toEqual(
      expect.arrayContaining(['GET /status', 'GET /status/feed.atom', 'GET /api/public/status', 'GET /api/public/status/badge.svg']),
    );
    expect(t.app.accessTable).toContainEqual({ method: 'POST', url: '/api/incidents/:id/updates', access: 'responder' });
    // The flags role's routes are exactly OFREP's: evaluation (single and bulk) and its configuration.
    expect(t.app.accessTable.filter((r) => r.access === 'flags').map((r) => `${r.method} ${r.url}`).sort()).toEqual([
      'GET /ofrep/v1/configuration',
      'POST /ofrep/v1/evaluate/flags',
      'POST /ofrep/v1/evaluate/flags/:key',
    ]);
  });

  it('answers every protected route 401 without a token and with a wrong one', async () => {
    for (const r of protectedRoutes()) {
      for (const headers of [{}, { authorization: 'Bearer mdk_wrong' }, { 'x-api-key': 'wrong' }]) {
        const res = await t.app.inject({ method: r.method as 'GET', url: sample(r.url), headers });
        expect(res.statusCode, `${r.method} ${r.url} ${JSON.stringify(headers)}`).toBe(401);
      }
    }
  });

  it('answers 403 to roles the route is not for, and lets the others through', async () => {
    for (const r of protectedRoutes()) {
      const allowed = ALLOWED[r.access as Role];
      for (const role of ROLES) {
        // A stream that is let through never ends; its refusals are still checked above and below.
        if (STREAMING.has(r.url) && allowed.includes(role)) continue;
        const res = await t.app.inject({ method: r.method as 'GET', url: sample(r.url), headers: headers(role) });
        const label = `${r.method} ${r.url} as ${role}`;
        if (!allowed.includes(role)) expect(res.statusCode, label).toBe(403);
        else expect([401, 403], label).not.toContain(res.statusCode);
      }
    }
  });

  it('answers every public route without a token, and the same with any token', async () => {
    const open = t.app.accessTable.filter((r) => r.access === 'public' && r.method === 'GET' && !r.url.includes(':'));
    expect(open.length).toBeGreaterThan(5);
    for (const r of open) {
      for (const h of [{}, { authorization: 'Bearer mdk_wrong' }, headers('flags'), headers('viewer')]) {
        const res = await t.app.inject({ method: 'GET', url: r.url, headers: h });
        expect([401, 403], `${r.url} ${JSON.stringify(h)}`).not.toContain(res.statusCode);
        expect(res.statusCode, r.url).toBeLessThan(500);
      }
    }
  });

  it('lets a flags token evaluate flags over OFREP and nothing else', async () => {
    const others = protectedRoutes().filter((r) => !r.url.startsWith('/ofrep/'));
    expect(others.length).toBeGreaterThan(30);
    for (const r of others) {
      const res = await t.app.inject({ method: r.method as 'GET', url: sample(r.url), headers: headers('flags') });
      expect(res.statusCode, `${r.method} ${r.url}`).toBe(403);
      expect(res.json().message).toMatch(/a flags token may only evaluate flags/);
    }
    const single = await t.app.inject({ method: 'POST', url: '/ofrep/v1/evaluate/flags/nope', headers: headers('flags'), payload: { context: {} } });
    expect(single.statusCode).toBe(404); // evaluated: an unknown flag is the protocol's FLAG_NOT_FOUND
    expect(single.json()).toMatchObject({ errorCode: 'FLAG_NOT_FOUND' });
    const bulk = await t.app.inject({ method: 'POST', url: '/ofrep/v1/evaluate/flags', headers: headers('flags'), payload: { context: {} } });
    expect(bulk.statusCode).toBe(200);
    const configuration = await t.app.inject({ method: 'GET', url: '/ofrep/v1/configuration', headers: { 'x-api-key': headers('flags').authorization.slice(7) } });
    expect(configuration.statusCode).toBe(200);
  });
});

describe('failed authentication is rate limited', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await openTestApp({ config: 'auth: { failed_auth_per_minute: 5 }' });
  });
  afterAll(async () => t?.close());

  it('answers 429 to failures from one address past the limit, until the minute is over; never to a valid token', async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 7; i++) statuses.push((await t.app.inject({ method: 'GET', url: '/api/incidents', headers: { authorization: `Bearer guess-${i}` } })).statusCode);
    expect(statuses).toEqual([401, 401, 401, 401, 401, 429, 429]);
    const blocked = await t.app.inject({ method: 'GET', url: '/api/incidents' });
    expect(blocked.statusCode).toBe(429);
    expect(Number(blocked.headers['retry-after'])).toBeGreaterThan(0);
    expect((await t.app.inject({ method: 'GET', url: '/api/incidents', headers: t.as('viewer') })).statusCode).toBe(200);
    t.clock.advance(61_000);
    expect((await t.app.inject({ method: 'GET', url: '/api/incidents', headers: { authorization: 'Bearer guess-7' } })).statusCode).toBe(401);
  });

  it('never counts open routes or successful requests', async () => {
    for (let i = 0; i < 20; i++) expect((await t.app.inject({ method: 'GET', url: '/healthz' })).statusCode).toBe(200);
  });
});
