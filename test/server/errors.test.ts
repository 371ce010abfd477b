import { STATUS_CODES } from 'node:http';
import createError from '@fastify/error';
import Fastify, { type FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Redactor } from '../../src/config/index.js';
import { IncidentActionError } from '../../src/incidents/index.js';
import { badRequest, conflict, installErrorHandler, notFound } from '../../src/server/errors.js';

// The error handler on a real server on 127.0.0.1: every error that carries a 4xx status code (ours
// from @fastify/error, the core's, Fastify's own) answers `{ error: <node's status text>, message }`.
describe('HTTP errors', () => {
  const SECRET = 'hunter2-very-secret-value';
  let app: FastifyInstance;
  let base: string;
  const unavailable = new Error('connect ECONNREFUSED 127.0.0.1:5432');

  beforeAll(async () => {
    app = Fastify({ logger: false });
    installErrorHandler(app, new Redactor([SECRET]), { isUnavailable: (err) => err === unavailable });
    const routes: Record<string, () => never> = {
      'bad-request': () => {
        throw badRequest('from: expected a date', [{ path: 'from', message: 'expected a date' }]);
      },
      'not-found': () => {
        throw notFound(`no token with ${SECRET}`);
      },
      conflict: () => {
        throw conflict('already resolved');
      },
      'core-conflict': () => {
        throw new IncidentActionError('conflict', 'incident #3 is closed');
      },
      'core-not-found': () => {
        throw new IncidentActionError('not_found', 'no incident 9');
      },
      // A status no route of Medic throws today: its text still comes from node:http.
      teapot: () => {
        throw new (createError('TEST_TEAPOT', 'short and stout', 418))();
      },
      unavailable: () => {
        throw unavailable;
      },
      crash: () => {
        throw new Error(`TypeError with ${SECRET}`);
      },
    };
    for (const [path, handler] of Object.entries(routes)) app.get(`/${path}`, handler);
    app.post('/echo', async (request) => request.body);
    base = await app.listen({ port: 0, host: '127.0.0.1' });
  });
  afterAll(async () => app?.close());

  const get = async (path: string, init?: RequestInit) => {
    const res = await fetch(`${base}${path}`, init);
    return { status: res.status, body: (await res.json()) as Record<string, unknown>, retryAfter: res.headers.get('retry-after') };
  };

  it.each([
    ['/bad-request', 400, { message: 'from: expected a date', issues: [{ path: 'from', message: 'expected a date' }] }],
    ['/not-found', 404, { message: 'no token with [REDACTED]' }],
    ['/conflict', 409, { message: 'already resolved' }],
    ['/core-conflict', 409, { message: 'incident #3 is closed' }],
    ['/core-not-found', 404, { message: 'no incident 9' }],
    ['/teapot', 418, { message: 'short and stout' }],
    ['/nowhere', 404, { message: 'no route GET /nowhere' }],
  ])('GET %s answers %i with its status text', async (path, status, body) => {
    const r = await get(path);
    expect(r.status).toBe(status);
    expect(r.body).toEqual({ error: STATUS_CODES[status], ...body });
  });

  it("answers Fastify's own 4xx the same way", async () => {
    const r = await get('/echo', { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"open":' });
    expect(r.status).toBe(400);
    expect(r.body).toMatchObject({ error: 'Bad Request', message: expect.stringMatching(/JSON/) });
    const wrongType = await get('/echo', { method: 'POST', headers: { 'content-type': 'application/x-nope' }, body: 'x' });
    expect(wrongType).toMatchObject({ status: 415, body: { error: 'Unsupported Media Type' } });
  });

  it('keeps the details of a crash in the log, and says when the database is away', async () => {
    expect(await get('/crash')).toMatchObject({ status: 500, body: { error: 'Internal Server Error', message: 'internal error (see the server log)' } });
    expect(await get('/unavailable')).toMatchObject({ status: 503, retryAfter: '1', body: { error: 'Service Unavailable', message: 'the database is unavailable; retry shortly' } });
  });
});
