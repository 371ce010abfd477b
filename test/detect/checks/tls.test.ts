import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCheck } from '../../../src/detect/checks/index.js';
import { json, startHttpTarget, type HttpTarget } from '../../helpers/http-target.js';
import { checkContext, parseMonitor } from '../../helpers/monitors.js';
import { selfSignedCertificate } from '../../helpers/tls-cert.js';

const DAY = 86_400_000;

let target: HttpTarget;

beforeAll(async () => {
  target = await startHttpTarget({ '/ok': (_req, res) => json(res, 200, { status: 'ok' }) }, selfSignedCertificate(3));
});

afterAll(() => target.close());

describe('tls check', () => {
  const tls = (raw: Record<string, unknown>) => parseMonitor('tls', { host: '127.0.0.1', port: target.port, ...raw });

  it('fails a certificate that expires within min_days, reporting days left and the certificate', async () => {
    const outcome = await runCheck(tls({ min_days: 14, verify_tls: false }), checkContext());
    expect(outcome.status).toBe('down');
    expect(outcome.networkError).toBe(false);
    expect(outcome.measurements.days_remaining).toBeGreaterThan(2.9);
    expect(outcome.measurements.days_remaining).toBeLessThanOrEqual(3);
    expect(outcome.error).toMatch(/^certificate expiry: expected ≥ 14 days remaining, got (2\.9\d?|3) days remaining \(valid to \d{4}-\d\d-\d\dT/);
    expect(outcome.info).toMatchObject({ subject: 'CN=localhost', issuer: 'CN=localhost', subject_alt_names: expect.stringContaining('IP Address:127.0.0.1') });
    expect(Date.parse(outcome.info!.valid_to!) - Date.now()).toBeGreaterThan(2.9 * DAY);
  });

  it('passes with min_days 1 when verification is off', async () => {
    const outcome = await runCheck(tls({ min_days: 1, verify_tls: false }), checkContext());
    expect(outcome.status).toBe('up');
    expect(outcome.assertions.map((a) => a.name)).toEqual(['certificate expiry']);
    expect(outcome.timings.tls_ms).toBeGreaterThan(0);
    expect(outcome.timings.connect_ms).toBeGreaterThanOrEqual(0);
    expect(outcome.timings.total_ms).toBeGreaterThanOrEqual(outcome.timings.tls_ms!);
  });

  it('fails verification of a self-signed certificate when verify_tls is on', async () => {
    const outcome = await runCheck(tls({ min_days: 1 }), checkContext());
    expect(outcome.status).toBe('down');
    expect(outcome.error).toBe('certificate trusted: expected a chain to a trusted CA, valid for 127.0.0.1, got DEPTH_ZERO_SELF_SIGNED_CERT');
    // The certificate is still read and reported.
    expect(outcome.measurements.days_remaining).toBeGreaterThan(2.9);
  });

  it('judges expiry by the context’s clock', async () => {
    const outcome = await runCheck(tls({ min_days: 0, verify_tls: false }), checkContext({ now: () => Date.now() + 4 * DAY }));
    expect(outcome.status).toBe('down');
    expect(outcome.assertions.at(-1)!.actual).toMatch(/^expired 1(\.\d+)? days ago$/);
  });

  it('reports a closed port as a network error', async () => {
    const outcome = await runCheck(tls({ port: 1 }), checkContext());
    expect(outcome.status).toBe('down');
    expect(outcome.networkError).toBe(true);
    expect(outcome.error).toMatch(/ECONNREFUSED/);
  });
});

describe('https in http checks', () => {
  it('rejects a self-signed certificate by default, as a network error', async () => {
    const outcome = await runCheck(parseMonitor('http', { url: target.url('/ok') }), checkContext());
    expect(outcome.status).toBe('down');
    expect(outcome.networkError).toBe(true);
    expect(outcome.error).toMatch(/self[- ]signed certificate/);
  });

  it('accepts it with verify_tls: false and measures the TLS handshake', async () => {
    const outcome = await runCheck(parseMonitor('http', { url: target.url('/ok'), verify_tls: false }), checkContext());
    expect(outcome.status).toBe('up');
    const t = outcome.timings;
    expect(t.tls_ms).toBeGreaterThan(0);
    expect(t.first_byte_ms! + 0.1).toBeGreaterThanOrEqual(t.connect_ms! + t.tls_ms!);
    expect(t.total_ms).toBeGreaterThanOrEqual(t.first_byte_ms!);
    expect(outcome.measurements.tls_ms).toBe(t.tls_ms);
  });

  it('does a full handshake on every check (no session reuse)', async () => {
    const a = await runCheck(parseMonitor('http', { url: target.url('/ok'), verify_tls: false }), checkContext());
    const b = await runCheck(parseMonitor('http', { url: target.url('/ok'), verify_tls: false }), checkContext());
    expect(a.timings.tls_ms).toBeGreaterThan(0);
    expect(b.timings.tls_ms).toBeGreaterThan(0);
    await runCheck(parseMonitor('tls', { host: '127.0.0.1', port: target.port, verify_tls: false, min_days: 0 }), checkContext());
    expect(target.tlsResumptions).toBe(0);
  });
});
