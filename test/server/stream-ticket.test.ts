import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createToken } from '../../src/store/index.js';
import { openTestApp, type TestApp } from '../helpers/app.js';
import { ENGINES } from '../helpers/stores.js';

/**
 * The event stream authenticates with a bearer token or a stream ticket, never a token in the query
 * string. A ticket is asked for with the token, opens the stream only, expires after 30 s, and dies with
 * its token.
 */
describe.each(ENGINES)('stream tickets on %s', (engine) => {
  let t: TestApp;
  let url: string;
  beforeAll(async () => {
    t = await openTestApp({ engine, config: 'auth: { failed_auth_per_minute: 1000 }' });
    url = await t.app.listen({ port: 0, host: '127.0.0.1' });
  });
  afterAll(async () => t?.close());

  const ticketFor = async (headers: Record<string, string>) => {
    const res = await t.app.inject({ method: 'POST', url: '/api/stream/ticket', headers });
    return { status: res.statusCode, ...(res.statusCode === 200 ? (res.json() as { ticket: string; expiresAt: number }) : { ticket: '', expiresAt: 0 }) };
  };
  /** Opens the stream over real HTTP; answers its status (and ends it when it opened). */
  const streamStatus = async (query: string, headers: Record<string, string> = {}) => {
    const controller = new AbortController();
    const res = await fetch(`${url}/api/stream${query}`, { headers, signal: controller.signal });
    const type = res.headers.get('content-type');
    controller.abort();
    return { status: res.status, type };
  };

  it('opens the stream with a ticket asked for with the token', async () => {
    const { status, ticket, expiresAt } = await ticketFor(t.as('viewer'));
    expect(status).toBe(200);
    expect(expiresAt).toBe(t.clock.now() + 30_000);
    expect(ticket).not.toContain(t.tokens.viewer);
    expect(await streamStatus(`?ticket=${encodeURIComponent(ticket)}`)).toEqual({ status: 200, type: 'text/event-stream' });
    // A bearer header opens it too (curl, the CLI).
    expect((await streamStatus('', t.as('viewer'))).status).toBe(200);
  });

  it('never takes the token itself in the query string', async () => {
    expect((await streamStatus(`?token=${t.tokens.viewer}`)).status).toBe(401);
  });

  it('refuses an expired, altered or borrowed ticket, and a ticket anywhere but the stream', async () => {
    const { ticket } = await ticketFor(t.as('viewer'));
    const [id, expires, mac] = ticket.split('.') as [string, string, string];
    const responder = (await ticketFor(t.as('responder'))).ticket;
    const cases = {
      altered: `${id}.${expires}.${mac.slice(0, 5)}${mac[5] === 'A' ? 'B' : 'A'}${mac.slice(6)}`,
      'longer life': `${id}.${Number(expires) + 60_000}.${mac}`,
      // Another token's id with this ticket's signature.
      borrowed: `${responder.split('.')[0]}.${expires}.${mac}`,
      garbage: 'not-a-ticket',
    };
    for (const [name, bad] of Object.entries(cases)) expect((await streamStatus(`?ticket=${encodeURIComponent(bad)}`)).status, name).toBe(401);
    expect((await t.app.inject({ method: 'GET', url: `/api/incidents?ticket=${encodeURIComponent(ticket)}` })).statusCode).toBe(401);
    expect((await t.app.inject({ method: 'GET', url: `/api/me?ticket=${encodeURIComponent(ticket)}` })).statusCode).toBe(401);
    t.clock.advance(30_001);
    expect((await streamStatus(`?ticket=${encodeURIComponent(ticket)}`)).status).toBe(401);
  });

  it('dies with its token', async () => {
    const made = await createToken(t.rt.store.db, { name: 'tab', role: 'viewer', source: 'cli' }, t.clock.now());
    const { ticket } = await ticketFor({ authorization: `Bearer ${made.token}` });
    expect((await t.app.inject({ method: 'DELETE', url: `/api/tokens/${made.info.id}`, headers: t.as('admin') })).statusCode).toBe(204);
    expect((await streamStatus(`?ticket=${encodeURIComponent(ticket)}`)).status).toBe(401);
  });

  it('is not given to a flags token (the stream is for the dashboard)', async () => {
    const flags = await createToken(t.rt.store.db, { name: 'app', role: 'flags', source: 'cli' }, t.clock.now());
    expect((await ticketFor({ authorization: `Bearer ${flags.token}` })).status).toBe(403);
    expect((await ticketFor({})).status).toBe(401);
  });
});
