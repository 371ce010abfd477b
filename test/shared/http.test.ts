import { createServer, type IncomingHttpHeaders, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Redactor } from '../../src/config/index.js';
import { OutboundError, sendRequest, type OutboundRequest } from '../../src/shared/http.js';
import { closedPort } from '../helpers/recording-server.js';

/**
 * The one outbound HTTP helper against a real server on 127.0.0.1: it never follows a redirect (so a
 * secret header never reaches another origin), keeps at most what it is told of a body, and ends at its
 * deadline whether the server is silent before or during the body.
 */

const SECRET = 'Bearer s3cret-token-0123456789';

let server: Server;
let base: string;
/** A second origin (another port): a redirect target that must never be reached. */
let other: Server;
let otherUrl: string;
const otherSeen: IncomingHttpHeaders[] = [];
const open = new Set<ServerResponse>();

beforeAll(async () => {
  other = createServer((req, res) => {
    otherSeen.push(req.headers);
    res.end('you should not be here');
  });
  await new Promise<void>((resolve) => other.listen(0, '127.0.0.1', resolve));
  otherUrl = `http://127.0.0.1:${(other.address() as AddressInfo).port}`;

  server = createServer((req, res) => {
    const path = req.url ?? '/';
    if (path === '/redirect-away') return res.writeHead(302, { location: `${otherUrl}/landing` }).end();
    if (path === '/redirect-home') return res.writeHead(307, { location: '/ok' }).end();
    if (path === '/ok') return res.end('fine');
    if (path === '/big') return res.end('x'.repeat(100_000));
    if (path === '/endless') {
      // Writes for as long as the client reads: only a reader that stops can finish.
      open.add(res);
      res.writeHead(200);
      const chunk = 'y'.repeat(16 * 1024);
      const pump = () => {
        while (!res.destroyed && res.write(chunk));
        if (!res.destroyed) res.once('drain', pump);
      };
      res.on('close', () => open.delete(res));
      return pump();
    }
    if (path === '/silent') return void open.add(res);
    if (path === '/stall-body') {
      open.add(res);
      res.writeHead(200);
      return void res.write('first part');
    }
    res.writeHead(404).end();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  for (const res of open) res.destroy();
  server.closeAllConnections();
  other.closeAllConnections();
  await Promise.all([new Promise((r) => server.close(r)), new Promise((r) => other.close(r))]);
});

const get = (path: string, extra: Partial<OutboundRequest> = {}) => sendRequest({ url: `${base}${path}`, method: 'GET', timeoutMs: 5000, keepBytes: 64 * 1024, ...extra });

async function failure(p: Promise<unknown>): Promise<OutboundError> {
  try {
    await p;
  } catch (err) {
    expect(err).toBeInstanceOf(OutboundError);
    return err as OutboundError;
  }
  throw new Error('the request succeeded');
}

describe('sendRequest: redirects', () => {
  it('answers a redirect to another origin as it is, and the secret header never reaches that origin', async () => {
    const res = await get('/redirect-away', { headers: { authorization: SECRET, 'x-api-key': 'k3y-0123456789' } });
    expect(res.statusCode).toBe(302);
    expect(res.headers.location).toBe(`${otherUrl}/landing`);
    expect(otherSeen).toEqual([]);
  });

  it('does not follow a redirect within the origin either: what the URL answered is what the caller sees', async () => {
    const res = await get('/redirect-home');
    expect(res.statusCode).toBe(307);
    expect(res.body.text()).toBe('');
  });
});

describe('sendRequest: size limits', () => {
  it('keeps keepBytes of a larger body and counts the rest, so the cut can say its size', async () => {
    const res = await get('/big', { keepBytes: 1000 });
    expect(res.body.text()).toBe('x'.repeat(1000));
    expect(res.body.totalBytes).toBe(100_000);
    expect(res.body.overflowed).toBe(true);
    expect(res.body.finish(10, new Redactor([])).text).toBe(`${'x'.repeat(10)}\n[… 99990 bytes cut]`);
  });

  it("with rest: 'stop', stops reading at the limit and returns, even from a body that never ends", async () => {
    // Reading it all would run into the deadline and throw; stopping returns the answer.
    const res = await get('/endless', { keepBytes: 64 * 1024, rest: 'stop', timeoutMs: 10_000 });
    expect(res.statusCode).toBe(200);
    expect(res.body.text()).toBe('y'.repeat(64 * 1024));
    // At most one chunk was read past the limit.
    expect(res.body.totalBytes).toBeLessThan(64 * 1024 + 70 * 1024);
  });
});

describe('sendRequest: deadline, cancel and failure', () => {
  it('ends at its deadline when the server never answers', async () => {
    const err = await failure(get('/silent', { timeoutMs: 300 }));
    expect(err).toMatchObject({ kind: 'timeout', message: 'timed out after 300ms', statusCode: undefined });
  });

  it('ends at its deadline when the body stalls, and says the status it had got', async () => {
    const err = await failure(get('/stall-body', { timeoutMs: 300 }));
    expect(err).toMatchObject({ kind: 'timeout', message: 'timed out after 300ms', statusCode: 200 });
  });

  it("says 'cancelled' when the caller's signal aborts", async () => {
    const controller = new AbortController();
    const pending = get('/silent', { signal: controller.signal });
    setTimeout(() => controller.abort(), 50);
    expect(await failure(pending)).toMatchObject({ kind: 'cancelled', message: 'cancelled' });
  });

  it('describes a refused connection in one line, with its code', async () => {
    const port = await closedPort();
    const err = await failure(sendRequest({ url: `http://127.0.0.1:${port}/`, method: 'GET', timeoutMs: 2000, keepBytes: 1024 }));
    expect(err).toMatchObject({ kind: 'failed', message: `connect ECONNREFUSED 127.0.0.1:${port}`, code: 'ECONNREFUSED' });
  });

  it('refuses a URL that is not HTTP, with the client’s own code', async () => {
    const err = await failure(sendRequest({ url: 'ftp://127.0.0.1/file', method: 'GET', timeoutMs: 2000, keepBytes: 1024 }));
    expect(err).toMatchObject({ kind: 'failed', code: 'UND_ERR_INVALID_ARG' });
  });
});
