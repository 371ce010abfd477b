import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Redactor } from '../../src/config/index.js';
import { runStep } from '../../src/diagnose/steps/index.js';
import type { LokiLine } from '../../src/diagnose/steps/loki.js';
import { startRecordingServer, type RecordingServer } from '../helpers/recording-server.js';
import { lokiStreams } from '../helpers/loki.js';
import { context, step } from './helpers.js';

let loki: RecordingServer;
beforeAll(async () => {
  loki = await startRecordingServer();
});
afterAll(() => loki.close());

const T = 1_764_687_300_000; // a fixed ms instant; Loki timestamps are nanoseconds as strings
const ns = (ms: number, extra = '000000') => `${ms}${extra}`;

describe('loki step', () => {
  it('queries query_range backward over since, and shows lines newest first with the labels that differ', async () => {
    loki.setHandler(() => ({
      body: lokiStreams([
        { stream: { app: 'payment-service', pod: 'payment-a', level: 'error' }, values: [[ns(T + 3000), 'ERROR pool exhausted'], [ns(T), 'ERROR db timeout']] },
        { stream: { app: 'payment-service', pod: 'payment-b', level: 'error' }, values: [[ns(T + 2000, '000001'), 'ERROR stripe 502']] },
      ]),
    }));
    const before = Date.now();
    const out = await runStep(step({ loki: '{app="payment-service"} |= "error"', since: '10m', limit: 2 }), context({ loki: { url: `${loki.url}/`, headers: { 'X-Scope-OrgID': 'payments' } } }));
    const req = loki.requests.at(-1)!;
    const url = new URL(req.url, loki.url);
    expect(url.pathname).toBe('/loki/api/v1/query_range');
    expect(url.searchParams.get('query')).toBe('{app="payment-service"} |= "error"');
    expect(url.searchParams.get('limit')).toBe('2');
    expect(url.searchParams.get('direction')).toBe('backward');
    const start = BigInt(url.searchParams.get('start')!);
    const end = BigInt(url.searchParams.get('end')!);
    expect(end - start).toBe(600_000_000_000n);
    expect(end >= BigInt(before) * 1_000_000n).toBe(true);
    expect(req.headers['x-scope-orgid']).toBe('payments');

    expect(out.ok).toBe(true);
    expect(out.output.split('\n')).toEqual([
      `${new Date(T + 3000).toISOString()} {pod="payment-a"} ERROR pool exhausted`,
      `${new Date(T + 2000).toISOString()} {pod="payment-b"} ERROR stripe 502`,
    ]);
    expect((out.value as LokiLine[])[1]!.timestampNs).toBe(ns(T + 2000, '000001'));
  });

  it("fails with Loki's own explanation of a rejected query, and when no Loki is configured", async () => {
    loki.setHandler(() => ({ status: 400, headers: { 'content-type': 'text/plain; charset=utf-8' }, body: 'parse error at line 1, col 5: syntax error: unexpected IDENTIFIER\n' }));
    const bad = await runStep(step({ loki: '{app=' }), context({ loki: { url: loki.url, headers: {} } }));
    expect(bad).toMatchObject({ ok: false, statusCode: 400, error: 'Loki rejected the query (HTTP 400): parse error at line 1, col 5: syntax error: unexpected IDENTIFIER' });

    const none = await runStep(step({ loki: '{app="x"}' }), context());
    expect(none).toMatchObject({ ok: false, error: 'no Loki configured: set loki.url in medic.yaml' });
  });

  it('redacts secrets in the lines and says when nothing matched', async () => {
    loki.setHandler(() => ({ body: lokiStreams([{ stream: { app: 'a' }, values: [[ns(T), 'token=hunter2-secret-token failed']] }]) }));
    const out = await runStep(step({ loki: '{app="a"}' }), context({ loki: { url: loki.url, headers: {} }, redactor: new Redactor(['hunter2-secret-token']) }));
    expect(out.output).toBe(`${new Date(T).toISOString()} token=[REDACTED] failed`);
    expect(JSON.stringify(out.value)).not.toContain('hunter2');

    loki.setHandler(() => ({ body: lokiStreams([]) }));
    const empty = await runStep(step({ loki: '{app="a"}' }), context({ loki: { url: loki.url, headers: {} } }));
    expect(empty).toMatchObject({ ok: true, output: '(no matching lines)' });
  });
});
