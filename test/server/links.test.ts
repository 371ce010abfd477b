import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConfigError, loadConfigText } from '../../src/config/index.js';
import { traceLinker } from '../../src/detect/monitors/queries.js';
import { openTestApp, type TestApp } from '../helpers/app.js';

/** Links Medic takes from people and tools other than alerts are http(s) too (alerts: ingest-limits.test.ts). */
describe('links that are not alerts', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await openTestApp();
  });
  afterAll(async () => t?.close());

  it('a deployment link must be http(s)', async () => {
    const post = (url: string) => t.app.inject({ method: 'POST', url: '/api/deployments', headers: t.as('responder'), payload: { service: 'pay', version: 'v1', url } });
    for (const bad of ['javascript:alert(1)', 'data:text/html,x', 'file:///etc/passwd']) {
      const res = await post(bad);
      expect(res.statusCode, bad).toBe(400);
      expect(res.json().message).toMatch(/url: expected an http:\/\/ or https:\/\/ URL/);
    }
    expect((await post('https://ci.example/build/7')).statusCode).toBe(201);
  });

  it('a trace link template must be http(s), and the trace id is encoded into it', () => {
    expect(() => loadConfigText('tracing: { trace_url: "javascript:alert(\'{trace_id}\')" }', { env: {} })).toThrow(ConfigError);
    expect(() => loadConfigText('monitors: [{ name: m, type: http, url: "http://127.0.0.1/", trace_url: "data:text/html,{trace_id}" }]', { env: {} })).toThrow(ConfigError);
    const { config } = loadConfigText('tracing: { trace_url: "http://jaeger.local/trace/{trace_id}" }', { env: {} });
    const link = traceLinker(config);
    expect(link('m', '0af7651916cd43dd8448eb211c80319c')).toBe('http://jaeger.local/trace/0af7651916cd43dd8448eb211c80319c');
    expect(link('m', 'a/../../x?y')).toBe('http://jaeger.local/trace/a%2F..%2F..%2Fx%3Fy');
  });
});
