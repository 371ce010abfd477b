import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Redactor } from '../../src/config/index.js';
import { runStep } from '../../src/diagnose/steps/index.js';
import { closedPort, startRecordingServer, type RecordingServer } from '../helpers/recording-server.js';
import { context, step, tempDir } from './helpers.js';

const STRIPE_STATUS = { page: { id: 'x' }, status: { indicator: 'minor', description: 'Partially Degraded Service' } };

describe('http step', () => {
  let server: RecordingServer;
  beforeAll(async () => {
    server = await startRecordingServer();
  });
  afterAll(() => server.close());

  it('passes on 2xx and shows the body', async () => {
    server.setHandler(() => ({ status: 200, body: { status: 'ok', db: 'up' } }));
    const out = await runStep(step({ http: `${server.url}/health/payment` }), context());
    expect(out).toMatchObject({ ok: true, statusCode: 200, output: '{"status":"ok","db":"up"}', truncated: false });
    expect(out.error).toBeUndefined();
  });

  it('fails on a non-2xx status and still shows the body', async () => {
    server.setHandler(() => ({ status: 503, body: 'upstream unavailable' }));
    const out = await runStep(step({ http: `${server.url}/health/payment` }), context());
    expect(out).toMatchObject({ ok: false, statusCode: 503, output: 'upstream unavailable', error: 'HTTP 503' });
  });

  it('does not follow redirects: it shows what the URL answered', async () => {
    server.setHandler(() => ({ status: 302, headers: { location: 'http://127.0.0.1:1/elsewhere' } }));
    const out = await runStep(step({ http: `${server.url}/moved` }), context());
    expect(out).toMatchObject({ ok: false, statusCode: 302 });
  });

  it('sends the method, headers and body exactly', async () => {
    server.setHandler(() => ({ status: 201, body: 'created' }));
    const before = server.requests.length;
    await runStep(
      step({ http: `${server.url}/api/probe?x=1`, method: 'post', headers: { 'X-Probe': 'medic', Authorization: 'Bearer abcd1234' }, body: '{"ping":true}' }),
      context(),
    );
    const req = server.requests[before]!;
    expect(req.method).toBe('POST');
    expect(req.url).toBe('/api/probe?x=1');
    expect(req.headers['x-probe']).toBe('medic');
    expect(req.headers.authorization).toBe('Bearer abcd1234');
    expect(req.body).toBe('{"ping":true}');
  });

  it('shows only the json_path extract, and keeps it as value', async () => {
    server.setHandler(() => ({ status: 200, body: STRIPE_STATUS }));
    const out = await runStep(step({ http: `${server.url}/api/v2/status.json`, json_path: '$.status.description' }), context());
    expect(out).toMatchObject({ ok: true, statusCode: 200, output: 'Partially Degraded Service', value: 'Partially Degraded Service' });

    const obj = await runStep(step({ http: `${server.url}/api/v2/status.json`, json_path: '$.status' }), context());
    expect(obj.value).toEqual(STRIPE_STATUS.status);
    expect(JSON.parse(obj.output)).toEqual(STRIPE_STATUS.status);
  });

  it('gives the list when json_path matches several values', async () => {
    server.setHandler(() => ({ status: 200, body: { pods: [{ name: 'a', ready: true }, { name: 'b', ready: false }] } }));
    const out = await runStep(step({ http: `${server.url}/pods`, json_path: '$.pods[*].name' }), context());
    expect(out).toMatchObject({ ok: true, value: ['a', 'b'] });
  });

  it('fails when json_path matches nothing, showing the body', async () => {
    server.setHandler(() => ({ status: 200, body: { status: 'ok' } }));
    const out = await runStep(step({ http: `${server.url}/x`, json_path: '$.missing.field' }), context());
    expect(out).toMatchObject({ ok: false, output: '{"status":"ok"}', error: 'json_path $.missing.field matched nothing' });
  });

  it('fails when json_path is asked of a body that is not JSON', async () => {
    server.setHandler(() => ({ status: 200, body: '<html>maintenance</html>' }));
    const out = await runStep(step({ http: `${server.url}/x`, json_path: '$.status' }), context());
    expect(out.ok).toBe(false);
    expect(out.output).toBe('<html>maintenance</html>');
    expect(out.error).toMatch(/^json_path \$\.status: the body is not JSON/);
  });

  it('caps the body at max_output and says how much was cut', async () => {
    server.setHandler(() => ({ status: 200, body: 'x'.repeat(50_000) }));
    const out = await runStep(step({ http: `${server.url}/big`, max_output: 100 }), context());
    expect(out).toMatchObject({ ok: true, truncated: true, output: `${'x'.repeat(100)}\n[… 49900 bytes cut]` });
  });

  it('redacts secrets from the body, the extract and errors', async () => {
    const secret = 'sk_live_abcdef123456';
    const redactor = new Redactor([secret]);
    server.setHandler(() => ({ status: 200, body: { key: secret, note: `key is ${secret}` } }));
    const body = await runStep(step({ http: `${server.url}/leaky` }), context({ redactor }));
    expect(body.output).toBe('{"key":"[REDACTED]","note":"key is [REDACTED]"}');
    const extract = await runStep(step({ http: `${server.url}/leaky`, json_path: '$.key' }), context({ redactor }));
    expect(extract).toMatchObject({ output: '[REDACTED]', value: '[REDACTED]' });

    const port = await closedPort();
    const refused = await runStep(step({ http: `http://127.0.0.1:${port}/${secret}` }), context({ redactor }));
    expect(refused.ok).toBe(false);
    expect(refused.error).toContain('/[REDACTED]');
    expect(refused.error).not.toContain(secret);
  });

  it('fails clearly when nothing listens', async () => {
    const port = await closedPort();
    const out = await runStep(step({ http: `http://127.0.0.1:${port}/health` }), context());
    expect(out.ok).toBe(false);
    expect(out.statusCode).toBeUndefined();
    expect(out.error).toMatch(/ECONNREFUSED/);
  });

  it('times out a server that never answers', async () => {
    server.setHandler(() => 'hang');
    const out = await runStep(step({ http: `${server.url}/slow`, timeout: '300ms' }), context());
    expect(out.ok).toBe(false);
    expect(out.error).toBe(`GET ${server.url}/slow: timed out after 300ms`);
  });
});

describe('http step TLS verification', () => {
  let url: string;
  let close: () => void;
  beforeAll(async () => {
    // A self-signed certificate, made here with the openssl CLI.
    const dir = tempDir('medic-tls-');
    execFileSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', `${dir}/key.pem`, '-out', `${dir}/cert.pem`, '-days', '1', '-subj', '/CN=127.0.0.1'], { stdio: 'ignore' });
    const server = createServer({ key: readFileSync(`${dir}/key.pem`), cert: readFileSync(`${dir}/cert.pem`) }, (_req, res) => res.end('secure hello'));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    url = `https://127.0.0.1:${(server.address() as AddressInfo).port}/`;
    close = () => server.close();
  });
  afterAll(() => close());

  it('rejects a self-signed certificate by default', async () => {
    const out = await runStep(step({ http: url }), context());
    expect(out.ok).toBe(false);
    expect(out.error).toMatch(/self[- ]signed/i);
  });

  it('accepts it with verify_tls: false', async () => {
    const out = await runStep(step({ http: url, verify_tls: false }), context());
    expect(out).toMatchObject({ ok: true, statusCode: 200, output: 'secure hello' });
  });
});
