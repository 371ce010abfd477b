import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { channel, Redactor, type ChannelConfig } from '../../src/config/index.js';
import { parseRetryAfter, sendNotification, type DeliveryResult } from '../../src/notify/index.js';
import { message } from './fixtures.js';
import { closedPort, context, startSink, type Sink } from './sink.js';

const cfg = (c: unknown): ChannelConfig => channel.parse(c);
const SECRET_PATH = 'T0K3N-s3cr3t-0123456789abcdef';

let sink: Sink;
beforeAll(async () => {
  sink = await startSink();
});
afterAll(() => sink.close());
beforeEach(() => {
  sink.received.length = 0;
});

const hook = () => cfg({ name: 'h', type: 'webhook', url: `${sink.url}/hooks/${SECRET_PATH}` });
const answer = (status: number, headers: Record<string, string> = {}, body = '') => sink.respond((_req, res) => res.writeHead(status, headers).end(body));
const reasonOf = (r: DeliveryResult) => (r.outcome === 'ok' ? '' : r.reason);

describe('delivery error classification', () => {
  it('5xx is retryable, quoting the answer', async () => {
    answer(500, {}, 'boom\n  at handler');
    expect(await sendNotification(hook(), message(), context())).toEqual({ outcome: 'retryable', status: 500, reason: 'HTTP 500: boom at handler' });
    answer(503, { 'retry-after': '120' });
    expect(await sendNotification(hook(), message(), context())).toEqual({ outcome: 'retryable', status: 503, reason: 'HTTP 503', retryAfterMs: 120_000 });
  });

  it('redacts a quoted answer before cutting it, so a credential where the quote ends leaves nothing behind', async () => {
    const key = 'k3y-Of-the-Receiver-0123456789';
    answer(503, {}, `${'.'.repeat(285)} key=${key}`);
    const reason = reasonOf(await sendNotification(hook(), message(), context({ redactor: new Redactor([key]) })));
    expect(reason).toContain('key=[REDACTED]');
    expect(reason).not.toContain(key.slice(0, 8));
  });

  it('429 and 408 are retryable, with Retry-After in seconds or as an HTTP date', async () => {
    answer(429, { 'retry-after': '30' }, 'rate_limited');
    expect(await sendNotification(hook(), message(), context())).toEqual({ outcome: 'retryable', status: 429, reason: 'HTTP 429: rate_limited', retryAfterMs: 30_000 });
    answer(429, { 'retry-after': new Date(Date.now() + 3_600_000).toUTCString() });
    const dated = await sendNotification(hook(), message(), context());
    expect(dated.outcome).toBe('retryable');
    const wait = dated.outcome === 'retryable' ? dated.retryAfterMs : undefined;
    // An HTTP date has whole seconds; the wait is "about an hour".
    expect(wait).toBeGreaterThan(3_500_000);
    expect(wait).toBeLessThanOrEqual(3_600_000);
    answer(408);
    expect(await sendNotification(hook(), message(), context())).toEqual({ outcome: 'retryable', status: 408, reason: 'HTTP 408' });
  });

  it('other 4xx and redirects are permanent', async () => {
    answer(400, {}, 'invalid_payload');
    expect(await sendNotification(hook(), message(), context())).toEqual({ outcome: 'permanent', status: 400, reason: 'HTTP 400: invalid_payload' });
    answer(404, {}, 'no_service');
    expect((await sendNotification(hook(), message(), context())).outcome).toBe('permanent');
    answer(410, {}, 'channel_is_archived');
    expect((await sendNotification(hook(), message(), context())).outcome).toBe('permanent');
    answer(301, { location: 'https://elsewhere.example.com/' });
    const moved = await sendNotification(hook(), message(), context());
    expect(moved).toMatchObject({ outcome: 'permanent', status: 301 });
    expect(sink.received).toHaveLength(4); // the redirect was not followed
  });

  it('a closed port is retryable with no status', async () => {
    const port = await closedPort();
    const result = await sendNotification(cfg({ name: 'h', type: 'webhook', url: `http://127.0.0.1:${port}/hooks/${SECRET_PATH}` }), message(), context());
    expect(result).toMatchObject({ outcome: 'retryable', status: null });
    expect(reasonOf(result)).toMatch(/ECONNREFUSED/);
    expect(reasonOf(result)).not.toContain(SECRET_PATH);
  });

  it('no answer within the timeout is retryable', async () => {
    sink.respond(() => {}); // never answers
    const result = await sendNotification(hook(), message(), context({ timeoutMs: 200 }));
    expect(result).toEqual({ outcome: 'retryable', status: null, reason: 'no answer within 200 ms' });
  });

  it('an aborted delivery is retryable, whether aborted before or during the request', async () => {
    const before = new AbortController();
    before.abort();
    expect(await sendNotification(hook(), message(), context({ signal: before.signal }))).toEqual({ outcome: 'retryable', status: null, reason: 'delivery aborted' });
    const during = new AbortController();
    sink.respond(() => during.abort());
    expect(await sendNotification(hook(), message(), context({ signal: during.signal }))).toEqual({ outcome: 'retryable', status: null, reason: 'delivery aborted' });
  });

  it('an unknown channel type is permanent, not a throw', async () => {
    const bogus = { name: 'x', type: 'carrier-pigeon' } as unknown as ChannelConfig;
    expect(await sendNotification(bogus, message(), context())).toEqual({ outcome: 'permanent', status: null, reason: 'unknown channel type "carrier-pigeon"' });
  });
});

describe('secrets in channel URLs', () => {
  const leaks = (r: DeliveryResult, ...secrets: string[]) => secrets.filter((s) => JSON.stringify(r).includes(s));

  it('never appear in a reason, even when the receiver echoes them and the redactor did not know them', async () => {
    sink.respond((req, res) => res.writeHead(400).end(`unknown hook ${req.path} (full URL ${sink.url}${req.path})`));
    const url = `http://user:p%40ssw0rd-123@127.0.0.1:${sink.port}/hooks/${SECRET_PATH}?token=query-secret-987`;
    for (const config of [
      cfg({ name: 'h', type: 'webhook', url }),
      cfg({ name: 's', type: 'slack', webhook_url: url }),
      cfg({ name: 't', type: 'msteams', webhook_url: url }),
      cfg({ name: 'p', type: 'pagerduty', routing_key: 'rk-0123456789', url }),
    ]) {
      const result = await sendNotification(config, message(), context());
      expect(result.outcome).toBe('permanent');
      expect(leaks(result, SECRET_PATH, 'query-secret-987', 'p%40ssw0rd-123', 'p@ssw0rd-123')).toEqual([]);
      expect(reasonOf(result)).toContain('[REDACTED]');
    }
  });

  it('never appear in an error from the HTTP client itself', async () => {
    // Bypasses the schema: a URL undici refuses, to see its own error text redacted too.
    const config = { name: 'h', type: 'webhook', url: `ftp://127.0.0.1/hooks/${SECRET_PATH}`, headers: {} } as ChannelConfig;
    const result = await sendNotification(config, message(), context());
    expect(result).toMatchObject({ outcome: 'permanent', status: null });
    expect(leaks(result, SECRET_PATH)).toEqual([]);
  });

  it('secrets the process knows (from ${ENV}) are redacted from reasons too', async () => {
    sink.respond((_req, res) => res.writeHead(500).end('db password is env-secret-value-42'));
    const result = await sendNotification(hook(), message(), context({ redactor: new Redactor(['env-secret-value-42']) }));
    expect(result).toEqual({ outcome: 'retryable', status: 500, reason: 'HTTP 500: db password is [REDACTED]' });
  });
});

describe('parseRetryAfter', () => {
  it('reads seconds and HTTP dates, and ignores anything else', () => {
    const now = Date.UTC(2026, 0, 15, 12, 0, 0);
    expect(parseRetryAfter('5', now)).toBe(5000);
    expect(parseRetryAfter('Thu, 15 Jan 2026 12:01:00 GMT', now)).toBe(60_000);
    expect(parseRetryAfter('Thu, 15 Jan 2026 11:00:00 GMT', now)).toBe(0);
    expect(parseRetryAfter('soon', now)).toBeUndefined();
    expect(parseRetryAfter(undefined, now)).toBeUndefined();
  });
});
