import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openTestApp, type TestApp } from '../helpers/app.js';

describe('authentication and roles', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await openTestApp({ config: 'auth:\n  tokens:\n    - { name: from-config, role: responder, token: "${CFG_TOKEN}" }\n', env: { CFG_TOKEN: 'config-token-0123456789' } });
  });
  afterAll(async () => t?.close());

  it('leaves /healthz and /metrics open', async () => {
    const health = await t.app.inject({ method: 'GET', url: '/healthz' });
    expect(health.statusCode).toBe(200);
    expect(health.json()).toMatchObject({ status: 'ok', database: 'sqlite' });
    const metrics = await t.app.inject({ method: 'GET', url: '/metrics' });
    expect(metrics.statusCode).toBe(200);
    expect(metrics.body).toMatch(/medic_build_info\{version="[^"]+",node="v\d+[^"]*",role="all"\} 1/);
    expect(metrics.body).toContain('medic_process_cpu_seconds_total');
  });

  it('answers 401 with a JSON reason without a token, or with an unknown one', async () => {
    const none = await t.app.inject({ method: 'GET', url: '/api/tokens' });
    expect(none.statusCode).toBe(401);
    expect(none.json()).toEqual({ error: 'Unauthorized', message: expect.stringContaining('token is required') });
    expect(none.headers['www-authenticate']).toContain('Bearer');
    const wrong = await t.app.inject({ method: 'GET', url: '/api/tokens', headers: { authorization: 'Bearer mdk_nope' } });
    expect(wrong.statusCode).toBe(401);
    expect(wrong.json().message).toMatch(/unknown or revoked/);
    const malformed = await t.app.inject({ method: 'GET', url: '/api/tokens', headers: { authorization: 'Basic abc' } });
    expect(malformed.statusCode).toBe(401);
  });

  it('answers 403 when the role is too low, 200 when it is enough (admin route)', async () => {
    for (const role of ['viewer', 'responder'] as const) {
      const res = await t.app.inject({ method: 'GET', url: '/api/tokens', headers: t.as(role) });
      expect(res.statusCode, role).toBe(403);
      expect(res.json()).toEqual({ error: 'Forbidden', message: `this needs the admin role; token "${role[0]}" has ${role}` });
    }
    const ok = await t.app.inject({ method: 'GET', url: '/api/tokens', headers: t.as('admin') });
    expect(ok.statusCode).toBe(200);
  });

  // The check is each protected route's own hook: the HEAD route Fastify adds for a GET gets it too.
  it('checks HEAD requests as it checks GET ones', async () => {
    expect((await t.app.inject({ method: 'HEAD', url: '/api/tokens' })).statusCode).toBe(401);
    expect((await t.app.inject({ method: 'HEAD', url: '/api/tokens', headers: t.as('viewer') })).statusCode).toBe(403);
    expect((await t.app.inject({ method: 'HEAD', url: '/api/tokens', headers: t.as('admin') })).statusCode).toBe(200);
  });

  it('accepts X-API-Key as well as a bearer token', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/api/tokens', headers: { 'x-api-key': t.tokens.admin } });
    expect(res.statusCode).toBe(200);
  });

  it('does not accept ?token= on routes that do not allow it', async () => {
    const res = await t.app.inject({ method: 'GET', url: `/api/tokens?token=${t.tokens.admin}` });
    expect(res.statusCode).toBe(401);
  });

  it('lists tokens without their values or hashes', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/api/tokens', headers: t.as('admin') });
    const body = res.json() as { tokens: Record<string, unknown>[] };
    expect(body.tokens.map((x) => [x.name, x.role, x.source])).toEqual([
      ['from-config', 'responder', 'config'],
      ['v', 'viewer', 'cli'],
      ['r', 'responder', 'cli'],
      ['a', 'admin', 'cli'],
    ]);
    expect(res.body).not.toMatch(/token_hash|"token"|config-token-0123456789/);
    for (const value of Object.values(t.tokens)) expect(res.body).not.toContain(value);
  });

  it('creates a token once, and it works with its role', async () => {
    const created = await t.app.inject({ method: 'POST', url: '/api/tokens', headers: t.as('admin'), payload: { name: 'ci', role: 'viewer' } });
    expect(created.statusCode).toBe(201);
    const { token, id } = created.json() as { token: string; id: number };
    expect(token).toMatch(/^mdk_[A-Za-z0-9_-]{43}$/);
    const list = await t.app.inject({ method: 'GET', url: '/api/tokens', headers: t.as('admin') });
    expect(list.body).not.toContain(token);
    expect((await t.app.inject({ method: 'GET', url: '/api/tokens', headers: { authorization: `Bearer ${token}` } })).statusCode).toBe(403);

    const del = await t.app.inject({ method: 'DELETE', url: `/api/tokens/${id}`, headers: t.as('admin') });
    expect(del.statusCode).toBe(204);
    expect((await t.app.inject({ method: 'GET', url: '/api/tokens', headers: { authorization: `Bearer ${token}` } })).statusCode).toBe(401);
    expect((await t.app.inject({ method: 'DELETE', url: `/api/tokens/${id}`, headers: t.as('admin') })).statusCode).toBe(404);
  });

  it('rejects a bad token request with a 400 that names the field', async () => {
    const res = await t.app.inject({ method: 'POST', url: '/api/tokens', headers: t.as('admin'), payload: { name: 'x', role: 'superuser' } });
    expect(res.statusCode).toBe(400);
    expect(res.json()).toMatchObject({ error: 'Bad Request', message: expect.stringContaining('role') });
    const notJson = await t.app.inject({ method: 'POST', url: '/api/tokens', headers: { ...t.as('admin'), 'content-type': 'application/json' }, payload: '{nope' });
    expect(notJson.statusCode).toBe(400);
    expect(notJson.json().error).toBe('Bad Request');
  });

  it('accepts the token defined in config, hashed at start', async () => {
    const rows = await t.rt.store.db.selectFrom('api_tokens').select('token_hash').where('source', '=', 'config').execute();
    expect(rows).toHaveLength(1);
    expect(rows[0]!.token_hash).not.toContain('config-token');
    const res = await t.app.inject({ method: 'GET', url: '/api/tokens', headers: { authorization: 'Bearer config-token-0123456789' } });
    expect(res.statusCode).toBe(403); // responder: authenticated, not admin
  });

  it('serves the OpenAPI document with every route', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/api/docs/json' });
    expect(res.statusCode).toBe(200);
    const doc = res.json() as { paths: Record<string, unknown> };
    expect(Object.keys(doc.paths)).toEqual(expect.arrayContaining(['/healthz', '/metrics', '/api/tokens', '/api/tokens/{id}']));
  });

  it('answers unknown routes with a JSON 404', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/api/nothing-here' });
    expect(res.statusCode).toBe(404);
    expect(res.json()).toEqual({ error: 'Not Found', message: 'no route GET /api/nothing-here' });
  });
});

describe('route declarations', () => {
  it('refuses to start with an /api route that declares no access level', async () => {
    const t = await openTestApp();
    try {
      expect(() => t.app.get('/api/undeclared', async () => 'x')).toThrow(/declares no access level/);
    } finally {
      await t.close();
    }
  });
});
