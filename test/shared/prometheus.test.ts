import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { instantQuery } from '../../src/shared/prometheus.js';
import { startRecordingServer, type RecordingServer, type Reply } from '../helpers/recording-server.js';

/**
 * What the one Prometheus client sends and how it reads answers it cannot use. Answers from a real
 * Prometheus are covered by the runbook step's and verification's tests (test/diagnose/prometheus-step,
 * test/verify/prometheus); here a local server answers in the shapes of Prometheus's HTTP API, including
 * ones a real Prometheus would not give, to see that none of them throws.
 */

let server: RecordingServer;
let reply: Reply = { status: 200, body: {} };
beforeAll(async () => {
  server = await startRecordingServer(() => reply);
});
afterAll(() => server.close());

const target = () => ({ url: `${server.url}/prom/`, timeoutMs: 4000, headers: { authorization: 'Bearer t0ken-0123456789' } });

describe('instantQuery', () => {
  it('asks /api/v1/query with the query, the evaluation time and its timeout, and the configured headers', async () => {
    reply = { status: 200, body: { status: 'success', data: { resultType: 'scalar', result: [1_700_000_000, '0.5'] } } };
    const at = Date.UTC(2026, 0, 15, 12, 0, 0, 250);
    const answer = await instantQuery(target(), 'sum(up)', { at, timeoutMs: 1500 });
    expect(answer).toEqual({ ok: true, statusCode: 200, result: { resultType: 'scalar', result: 0.5 }, warnings: [] });
    const req = server.requests.at(-1)!;
    const url = new URL(req.url, server.url);
    expect(url.pathname).toBe('/prom/api/v1/query');
    expect(Object.fromEntries(url.searchParams)).toEqual({ query: 'sum(up)', time: '1768478400.250', timeout: '1.5' });
    expect(req.headers.authorization).toBe('Bearer t0ken-0123456789');
    expect(req.headers.accept).toBe('application/json');
  });

  it('reads "+Inf", "-Inf" and "NaN" samples as numbers, and keeps Prometheus’s warnings', async () => {
    reply = {
      status: 200,
      body: {
        status: 'success',
        warnings: ['results truncated'],
        data: {
          resultType: 'vector',
          result: [
            { metric: { le: 'a' }, value: [1, '+Inf'] },
            { metric: { le: 'b' }, value: [1, '-Inf'] },
            { metric: { le: 'c' }, value: [1, 'NaN'] },
          ],
        },
      },
    };
    const answer = await instantQuery(target(), 'x');
    expect(answer.ok && answer.result.resultType === 'vector' && answer.result.result.map((s) => s.value)).toEqual([Infinity, -Infinity, NaN]);
    expect(answer.ok && answer.warnings).toEqual(['results truncated']);
  });

  it('says when the answer is not Prometheus’s, and hands its body on', async () => {
    reply = { status: 200, headers: { 'content-type': 'text/html' }, body: '<html>login</html>' };
    expect(await instantQuery(target(), 'x')).toEqual({ ok: false, statusCode: 200, body: '<html>login</html>', error: 'Prometheus answered HTTP 200 without a query result (is prometheus.url right?)' });
  });

  it('passes a rejected query on in Prometheus’s words', async () => {
    reply = { status: 400, body: { status: 'error', errorType: 'bad_data', error: 'invalid parameter "query": 1:5: parse error: unclosed left parenthesis' } };
    expect(await instantQuery(target(), 'sum(')).toEqual({
      ok: false,
      statusCode: 400,
      error: 'Prometheus rejected the query (bad_data): invalid parameter "query": 1:5: parse error: unclosed left parenthesis',
    });
  });

  it('fails, never throws, on a result of an unknown type or a malformed one', async () => {
    reply = { status: 200, body: { status: 'success', data: { resultType: 'histogram', result: [] } } };
    expect(await instantQuery(target(), 'x')).toMatchObject({ ok: false, error: 'Prometheus answered a result Medic cannot read (resultType "histogram")' });
    reply = { status: 200, body: { status: 'success', data: { resultType: 'vector', result: 'not a list' } } };
    expect(await instantQuery(target(), 'x')).toMatchObject({ ok: false, error: 'Prometheus answered a result Medic cannot read (resultType "vector")' });
  });
});
