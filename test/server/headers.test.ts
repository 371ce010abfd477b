import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openTestApp, type TestApp } from '../helpers/app.js';

/** Security headers on every answer: documents get helmet's, data (JSON) a CSP that allows nothing. */
describe('security headers', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await openTestApp();
  });
  afterAll(async () => t?.close());

  const common = (headers: Record<string, unknown>) => {
    expect(headers['content-security-policy']).toContain("frame-ancestors 'none'");
    expect(headers['x-content-type-options']).toBe('nosniff');
    expect(headers['referrer-policy']).toBe('no-referrer');
    expect(headers['cross-origin-resource-policy']).toBe('same-origin');
    expect(headers['strict-transport-security']).toBeUndefined();
  };

  it.each(['/'])('the dashboard document %s loads only its own scripts and styles', async (url) => {
    const res = await t.app.inject({ method: 'GET', url });
    expect(res.headers['content-type']).toMatch(/^text\/html/);
    common(res.headers);
    expect(res.headers['content-security-policy']).toContain("default-src 'self'");
    expect(res.headers['content-security-policy']).toContain("script-src 'self'");
    expect(res.headers['x-frame-options']).toBe('SAMEORIGIN');
  });

  it.each(['/healthz', '/api/incidents', '/api/no-such-route', '/no-such-page'])('the JSON answer of %s allows nothing to load or run', async (url) => {
    const res = await t.app.inject({ method: 'GET', url });
    expect(res.headers['content-type']).toMatch(/^application\/json/);
    common(res.headers);
    expect(res.headers['content-security-policy']).toBe("default-src 'none'; frame-ancestors 'none'");
    expect(res.headers['x-frame-options']).toBe('DENY');
    // Helmet's document-only headers are not sent with data.
    expect(res.headers['x-dns-prefetch-control']).toBeUndefined();
    expect(res.headers['origin-agent-cluster']).toBeUndefined();
  });
});
