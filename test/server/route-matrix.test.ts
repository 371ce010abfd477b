import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openTestApp, type TestApp } from '../helpers/app.js';

/**
 * Every route with a declared access level, with no token, a wrong token, and each role: who gets in is
 * exactly what the route declares. Routes come from the app's own table, so a new route is covered
 * without touching this file.
 */
const ROLES = ['viewer', 'responder', 'admin'] as const;
const RANK = { public: 0, viewer: 1, responder: 2, admin: 3 } as const;
const STREAMING = new Set(['/api/stream']);

describe('role × route matrix', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await openTestApp({ config: 'auth: { failed_auth_per_minute: 1000000 }' });
  });
  afterAll(async () => t?.close());

  const protectedRoutes = () => t.app.accessTable.filter((r) => r.access !== 'public');
  // An id that exists nowhere: the matrix must not delete the tokens it authenticates with.
  const sample = (url: string) => url.replace(/:(\w+)/g, '999999');

  it('finds every API route, each with a known access level', () => {
    expect(t.app.accessTable.length).toBeGreaterThan(12);
    expect(t.app.accessTable.every((r) => r.access in RANK)).toBe(true);
    expect(t.app.accessTable.filter((r) => r.access === 'public').map((r) => r.url)).toEqual(expect.arrayContaining(['/healthz', '/metrics']));
    expect(t.app.accessTable).toContainEqual({ method: 'GET', url: '/api/command-center', access: 'viewer' });
  });

  it('answers every protected route 401 without a token and with a wrong one', async () => {
    for (const r of protectedRoutes()) {
      for (const headers of [{}, { authorization: 'Bearer mdk_wrong' }, { 'x-api-key': 'wrong' }]) {
        const res = await t.app.inject({ method: r.method as 'GET', url: sample(r.url), headers });
        expect(res.statusCode, `${r.method} ${r.url} ${JSON.stringify(headers)}`).toBe(401);
      }
    }
  });

  it('answers 403 to roles below the declared one, and lets the others through', async () => {
    for (const r of protectedRoutes()) {
      for (const role of ROLES) {
        // A stream that is let through never ends; its refusals are still checked above and below.
        if (STREAMING.has(r.url) && RANK[role] >= RANK[r.access]) continue;
        const res = await t.app.inject({ method: r.method as 'GET', url: sample(r.url), headers: t.as(role) });
        const label = `${r.method} ${r.url} as ${role}`;
        if (RANK[role] < RANK[r.access]) expect(res.statusCode, label).toBe(403);
        else expect([401, 403], label).not.toContain(res.statusCode);
      }
    }
  });
});

describe('failed authentication is rate limited', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await openTestApp({ config: 'auth: { failed_auth_per_minute: 5 }' });
  });
  afterAll(async () => t?.close());

  it('answers 429 after too many failures from one address, until the minute is over', async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 7; i++) statuses.push((await t.app.inject({ method: 'GET', url: '/api/incidents', headers: { authorization: `Bearer guess-${i}` } })).statusCode);
    expect(statuses).toEqual([401, 401, 401, 401, 401, 429, 429]);
    const blocked = await t.app.inject({ method: 'GET', url: '/api/incidents', headers: t.as('viewer') });
    expect(blocked.statusCode).toBe(429);
    expect(Number(blocked.headers['retry-after'])).toBeGreaterThan(0);
    t.clock.advance(61_000);
    expect((await t.app.inject({ method: 'GET', url: '/api/incidents', headers: t.as('viewer') })).statusCode).toBe(200);
  });

  it('never counts open routes or successful requests', async () => {
    for (let i = 0; i < 20; i++) expect((await t.app.inject({ method: 'GET', url: '/healthz' })).statusCode).toBe(200);
  });
});
