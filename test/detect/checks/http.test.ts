import http, { type ServerResponse } from 'node:http';
import diagnostics from 'node:diagnostics_channel';
import net from 'node:net';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { runCheck } from '../../../src/detect/checks/index.js';
import { MAX_BODY_BYTES } from '../../../src/detect/checks/http-client.js';
import { json, startHttpTarget, type HttpTarget } from '../../helpers/http-target.js';
import { checkContext, parseMonitor } from '../../helpers/monitors.js';

const TRACEPARENT = /^00-([0-9a-f]{32})-([0-9a-f]{16})-01$/;

let target: HttpTarget;
/** Responses of /hang never arrive; their requests are answered at teardown by destroying the socket. */
const hung: ServerResponse[] = [];

beforeAll(async () => {
  target = await startHttpTarget({
    '/ok': (_req, res) => json(res, 200, { status: 'ok' }),
    '/echo': (req, res, body) => json(res, 200, { method: req.method, url: req.url, headers: req.headers, body }),
    '/hang': (_req, res) => void hung.push(res),
    '/slow-body': (_req, res) => {
      res.writeHead(200, { 'content-type': 'text/plain' });
      res.write('partial');
      hung.push(res);
    },
    '/big': (_req, res) => {
      res.writeHead(200, { 'content-type': 'text/plain' });
      const chunk = Buffer.alloc(64 * 1024, 'a');
      for (let i = 0; i < 40; i++) res.write(chunk); // 2.5 MiB
      res.end();
    },
    '/redirect/1': (_req, res) => res.writeHead(302, { location: '/redirect/2' }).end(),
    '/redirect/2': (_req, res) => res.writeHead(301, { location: '/redirect/3' }).end(),
    '/redirect/3': (_req, res) => res.writeHead(307, { location: '/ok' }).end(),
    '/loop': (_req, res) => res.writeHead(302, { location: '/loop' }).end(),
    '/post-redirect': (_req, res) => res.writeHead(303, { location: '/echo' }).end(),
    '/status/503': (_req, res) => json(res, 503, { error: 'unavailable' }),
  });
});

afterAll(async () => {
  await target.close();
});

describe('http check', () => {
  it('passes against a healthy endpoint and reports the status code', async () => {
    const outcome = await runCheck(parseMonitor('http', { url: target.url('/ok'), assert_status: 200 }), checkContext());
    expect(outcome.status).toBe('up');
    expect(outcome.error).toBeUndefined();
    expect(outcome.measurements.status_code).toBe(200);
    expect(outcome.assertions).toEqual([{ name: 'status', pass: true, expected: '200', actual: '200' }]);
  });

  it('is down with the assertion as its error when the status is wrong', async () => {
    const outcome = await runCheck(parseMonitor('http', { url: target.url('/status/503'), assert_status: '200-299' }), checkContext());
    expect(outcome.status).toBe('down');
    expect(outcome.networkError).toBe(false);
    expect(outcome.error).toBe('status: expected 200-299, got 503');
  });

  it('expects 2xx/3xx when no assert_status is configured', async () => {
    const outcome = await runCheck(parseMonitor('http', { url: target.url('/status/503') }), checkContext());
    expect(outcome.status).toBe('down');
    expect(outcome.assertions[0]).toMatchObject({ name: 'status', pass: false, expected: '200-399 (default)', actual: '503' });
  });

  it('sends a W3C traceparent whose trace id is the outcome’s, a new span per request', async () => {
    const before = target.seen('/ok').length;
    const a = await runCheck(parseMonitor('http', { url: target.url('/ok') }), checkContext());
    const b = await runCheck(parseMonitor('http', { url: target.url('/ok') }), checkContext());
    const [ra, rb] = target.seen('/ok').slice(before);
    const ma = TRACEPARENT.exec(String(ra!.headers.traceparent));
    const mb = TRACEPARENT.exec(String(rb!.headers.traceparent));
    expect(ma?.[1]).toBe(a.traceId);
    expect(mb?.[1]).toBe(b.traceId);
    expect(a.traceId).not.toBe(b.traceId);
    expect(ma?.[2]).not.toBe(mb?.[2]);
  });

  it('replaces a configured traceparent with its own', async () => {
    const before = target.seen('/ok').length;
    const outcome = await runCheck(parseMonitor('http', { url: target.url('/ok'), headers: { TraceParent: '00-11111111111111111111111111111111-2222222222222222-01' } }), checkContext());
    const [seen] = target.seen('/ok').slice(before);
    expect(seen!.headers.traceparent).toMatch(new RegExp(`^00-${outcome.traceId}-`));
  });

  it('measures every phase on a fresh connection, with consistent timings', async () => {
    // "localhost" makes the check do a real DNS lookup; 127.0.0.1 would skip it.
    const url = target.url('/ok').replace('127.0.0.1', 'localhost');
    const outcome = await runCheck(parseMonitor('http', { url }), checkContext());
    const t = outcome.timings;
    expect(outcome.status).toBe('up');
    expect(t.dns_ms).toBeGreaterThanOrEqual(0);
    expect(t.connect_ms).toBeGreaterThanOrEqual(0);
    expect(t.tls_ms).toBeUndefined(); // plain http
    expect(t.first_byte_ms).toBeGreaterThan(0);
    expect(t.total_ms).toBeGreaterThanOrEqual(t.first_byte_ms!);
    // Rounding to 0.1 ms each may add up to 0.1 ms over the three.
    expect(t.first_byte_ms! + 0.1).toBeGreaterThanOrEqual(t.dns_ms! + t.connect_ms!);
    expect(outcome.measurements).toMatchObject({ total_ms: t.total_ms, first_byte_ms: t.first_byte_ms, dns_ms: t.dns_ms, connect_ms: t.connect_ms });
  });

  it('opens a new connection for every check (connection: close)', async () => {
    const before = target.seen('/ok').length;
    await runCheck(parseMonitor('http', { url: target.url('/ok') }), checkContext());
    const second = await runCheck(parseMonitor('http', { url: target.url('/ok') }), checkContext());
    const seen = target.seen('/ok').slice(before);
    expect(seen.map((r) => r.headers.connection)).toEqual(['close', 'close']);
    expect(second.timings.connect_ms).toBeGreaterThanOrEqual(0);
  });

  it('gives concurrent checks of one origin a connection each, and leaves none open after them', async () => {
    const server = http.createServer((_req, res) => json(res, 200, { status: 'ok' }));
    const open = new Set<net.Socket>();
    let opened = 0;
    server.on('connection', (socket) => {
      opened++;
      open.add(socket);
      socket.on('close', () => open.delete(socket));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      const { port } = server.address() as net.AddressInfo;
      const monitor = parseMonitor('http', { url: `http://127.0.0.1:${port}/health` });
      const outcomes = await Promise.all(Array.from({ length: 8 }, () => runCheck(monitor, checkContext())));
      expect(outcomes.map((o) => o.status)).toEqual(Array(8).fill('up'));
      expect(outcomes.every((o) => o.timings.connect_ms !== undefined)).toBe(true);
      expect(opened).toBe(8);
      await vi.waitFor(() => expect(open.size).toBe(0));
    } finally {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    }
  });

  it('closes each connection without capturing a stack for undici\'s reset error, and leaves stack traces on', async () => {
    const sockets: net.Socket[] = [];
    const onHeaders = (message: unknown) => sockets.push((message as { socket: net.Socket }).socket);
    diagnostics.subscribe('undici:client:sendHeaders', onHeaders);
    try {
      const outcome = await runCheck(parseMonitor('http', { url: target.url('/ok') }), checkContext());
      expect(outcome.status).toBe('up');
    } finally {
      diagnostics.unsubscribe('undici:client:sendHeaders', onHeaders);
    }
    const reset = sockets[0]?.errored as (Error & { code?: string }) | null | undefined;
    expect(reset?.code).toBe('UND_ERR_INFO');
    expect(reset?.stack).not.toMatch(/\n\s+at /);
    expect(new Error('after').stack).toMatch(/\n\s+at /);
  });

  it('sends method, headers and an object body as JSON', async () => {
    const m = parseMonitor('http', {
      url: target.url('/echo'),
      method: 'put',
      headers: { 'X-Team': 'payments' },
      body: { order: 7, items: ['a'] },
      assert_json_path: [{ path: '$.method', equals: 'PUT' }, { path: '$.headers.content-type', equals: 'application/json' }],
    });
    const outcome = await runCheck(m, checkContext());
    expect(outcome.status).toBe('up');
    const seen = target.seen('/echo').at(-1)!;
    expect(seen.method).toBe('PUT');
    expect(seen.headers['x-team']).toBe('payments');
    expect(JSON.parse(seen.body)).toEqual({ order: 7, items: ['a'] });
    expect(seen.headers['user-agent']).toBe('medic-check/0.1');
  });

  it('sends a string body as written, marked JSON when it is JSON', async () => {
    await runCheck(parseMonitor('http', { url: target.url('/echo'), method: 'POST', body: '{"a": 1}' }), checkContext());
    expect(target.seen('/echo').at(-1)).toMatchObject({ body: '{"a": 1}', headers: { 'content-type': 'application/json' } });
    await runCheck(parseMonitor('http', { url: target.url('/echo'), method: 'POST', body: 'a=1&b=2', headers: { 'content-type': 'application/x-www-form-urlencoded' } }), checkContext());
    expect(target.seen('/echo').at(-1)).toMatchObject({ body: 'a=1&b=2', headers: { 'content-type': 'application/x-www-form-urlencoded' } });
  });

  it('sends credentials in the URL as Basic auth, not in the URL', async () => {
    const outcome = await runCheck(parseMonitor('http', { url: target.url('/echo').replace('http://', 'http://monitor:p%40ss@') }), checkContext());
    expect(outcome.status).toBe('up');
    expect(target.seen('/echo').at(-1)!.headers.authorization).toBe(`Basic ${Buffer.from('monitor:p@ss').toString('base64')}`);
    expect(outcome.info?.url).toBe(target.url('/echo'));
  });

  it('appends query parameters to the URL', async () => {
    const outcome = await runCheck(parseMonitor('http', { url: target.url('/echo?a=1'), query: { b: 2, c: 'x y' }, assert_json_path: { path: '$.url', equals: '/echo?a=1&b=2&c=x+y' } }), checkContext());
    expect(outcome.assertions.find((a) => a.name === 'json_path $.url')).toMatchObject({ pass: true });
  });
});

describe('redirects', () => {
  it('follows redirects by default and reports the hop count', async () => {
    const outcome = await runCheck(parseMonitor('http', { url: target.url('/redirect/1'), assert_status: 200 }), checkContext());
    expect(outcome.status).toBe('up');
    expect(outcome.measurements.redirects).toBe(3);
    expect(outcome.info?.url).toBe(target.url('/ok'));
  });

  it('gives each hop its own span of the same trace', async () => {
    const before = target.requests.length;
    const outcome = await runCheck(parseMonitor('http', { url: target.url('/redirect/1') }), checkContext());
    const hops = target.requests.slice(before).map((r) => TRACEPARENT.exec(String(r.headers.traceparent)));
    expect(hops).toHaveLength(4);
    expect(new Set(hops.map((m) => m?.[1]))).toEqual(new Set([outcome.traceId]));
    expect(new Set(hops.map((m) => m?.[2])).size).toBe(4);
  });

  it('stops at max_redirects with an error', async () => {
    const outcome = await runCheck(parseMonitor('http', { url: target.url('/redirect/1'), max_redirects: 2 }), checkContext());
    expect(outcome.status).toBe('down');
    expect(outcome.networkError).toBe(false);
    expect(outcome.error).toBe('too many redirects: 307 to /ok after 2 redirects (max_redirects: 2)');
    expect(outcome.measurements.redirects).toBe(2);
  });

  it('stops a redirect loop', async () => {
    const outcome = await runCheck(parseMonitor('http', { url: target.url('/loop') }), checkContext());
    expect(outcome.status).toBe('down');
    expect(outcome.error).toMatch(/too many redirects.*max_redirects: 5/);
  });

  it('returns the redirect itself when follow_redirects is off', async () => {
    const before = target.requests.length;
    const outcome = await runCheck(parseMonitor('http', { url: target.url('/redirect/1'), follow_redirects: false, assert_status: 302, assert_header: { location: '/redirect/2' } }), checkContext());
    expect(outcome.status).toBe('up');
    expect(outcome.measurements.redirects).toBe(0);
    expect(target.requests.length - before).toBe(1);
  });

  it('turns a POST into a GET without body on 303', async () => {
    const outcome = await runCheck(parseMonitor('http', { url: target.url('/post-redirect'), method: 'POST', body: { a: 1 }, assert_json_path: { path: '$.method', equals: 'GET' } }), checkContext());
    expect(outcome.status).toBe('up');
    expect(target.seen('/echo').at(-1)!.body).toBe('');
  });
});

describe('timeouts and failures', () => {
  it('ends a hung target at the timeout as a network error, without blocking other checks', async () => {
    const started = Date.now();
    const hanging = runCheck(parseMonitor('http', { url: target.url('/hang'), timeout: '300ms' }), checkContext());
    const other = await runCheck(parseMonitor('http', { url: target.url('/ok') }), checkContext());
    expect(other.status).toBe('up');
    const outcome = await hanging;
    expect(outcome.status).toBe('down');
    expect(outcome.error).toBe('timeout after 300 ms');
    expect(outcome.networkError).toBe(true);
    // "About the timeout": far less than anything undici or the OS would wait on their own.
    expect(Date.now() - started).toBeLessThan(5000);
  });

  it('says the body was being read when the timeout hits after the headers', async () => {
    const outcome = await runCheck(parseMonitor('http', { url: target.url('/slow-body'), timeout: '500ms' }), checkContext());
    expect(outcome.status).toBe('down');
    expect(outcome.error).toBe('timeout after 500 ms while reading the response body');
    expect(outcome.networkError).toBe(false);
    expect(outcome.measurements.status_code).toBe(200);
  });

  it('stops when the caller aborts', async () => {
    const controller = new AbortController();
    const running = runCheck(parseMonitor('http', { url: target.url('/hang'), timeout: '30s' }), checkContext({ signal: controller.signal }));
    setTimeout(() => controller.abort(), 50);
    const outcome = await running;
    expect(outcome.status).toBe('down');
    expect(outcome.error).toBe('check aborted');
  });

  it('reports a refused connection as a network error', async () => {
    const port = await closedPort();
    const outcome = await runCheck(parseMonitor('http', { url: `http://127.0.0.1:${port}/` }), checkContext());
    expect(outcome.status).toBe('down');
    expect(outcome.networkError).toBe(true);
    expect(outcome.error).toMatch(/ECONNREFUSED/);
  });

  it('reads at most the body cap and says so', async () => {
    const outcome = await runCheck(parseMonitor('http', { url: target.url('/big'), assert_body_contains: 'zzz' }), checkContext());
    expect(outcome.status).toBe('down');
    expect(outcome.measurements.body_bytes).toBe(MAX_BODY_BYTES);
    expect(outcome.assertions.find((a) => a.name.startsWith('body_contains'))!.actual).toMatch(/^not found in 1048576 bytes, cut at the size cap: a{10}/);
  });
});

/** A port nothing listens on: bind one, then close it. */
async function closedPort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}
