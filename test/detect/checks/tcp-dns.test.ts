import net from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCheck } from '../../../src/detect/checks/index.js';
import { startDnsServer, type DnsServer } from '../../helpers/dns-server.js';
import { checkContext, parseMonitor } from '../../helpers/monitors.js';

describe('tcp check', () => {
  let server: net.Server;
  let port: number;
  beforeAll(async () => {
    server = net.createServer((socket) => socket.end());
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    port = (server.address() as net.AddressInfo).port;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  it('is up when the port accepts a connection', async () => {
    const outcome = await runCheck(parseMonitor('tcp', { host: '127.0.0.1', port }), checkContext());
    expect(outcome.status).toBe('up');
    expect(outcome.timings.connect_ms).toBeGreaterThanOrEqual(0);
    expect(outcome.timings.total_ms).toBeGreaterThanOrEqual(outcome.timings.connect_ms!);
    expect(outcome.info?.address).toBe(`127.0.0.1:${port}`);
  });

  it('measures the DNS lookup of a host name', async () => {
    const outcome = await runCheck(parseMonitor('tcp', { host: 'localhost', port }), checkContext());
    expect(outcome.status).toBe('up');
    expect(outcome.measurements.dns_ms).toBeGreaterThanOrEqual(0);
  });

  it('is down, as a network error, when the port is closed', async () => {
    const closed = net.createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const closedPort = (closed.address() as net.AddressInfo).port;
    await new Promise<void>((resolve) => closed.close(() => resolve()));
    const outcome = await runCheck(parseMonitor('tcp', { host: '127.0.0.1', port: closedPort }), checkContext());
    expect(outcome.status).toBe('down');
    expect(outcome.networkError).toBe(true);
    expect(outcome.error).toBe(`connect ECONNREFUSED 127.0.0.1:${closedPort}`);
  });
});

describe('dns check', () => {
  let dns: DnsServer;
  beforeAll(async () => {
    dns = await startDnsServer(
      {
        'app.medic.test': { A: ['10.1.2.3', '10.1.2.4'], TXT: ['v=spf1 include:_spf.medic.test -all', 'site-verification=abc'] },
        'v6.medic.test': { AAAA: ['2001:db8::1'] },
      },
      ['silent.medic.test'],
    );
  });
  afterAll(() => dns.close());

  const check = (raw: Record<string, unknown>) => parseMonitor('dns', { resolver: dns.address, ...raw });

  it('resolves A records from the configured resolver', async () => {
    const outcome = await runCheck(check({ hostname: 'app.medic.test' }), checkContext());
    expect(outcome.status).toBe('up');
    expect(outcome.info?.answers).toBe('10.1.2.3, 10.1.2.4');
    expect(outcome.measurements.answers).toBe(2);
    expect(outcome.timings.dns_ms).toBe(outcome.timings.total_ms);
    expect(dns.queries).toContain('app.medic.test A');
  });

  it('passes when every expected record is among the answers', async () => {
    const outcome = await runCheck(check({ hostname: 'app.medic.test', expect: ['10.1.2.4'] }), checkContext());
    expect(outcome.status).toBe('up');
    expect(outcome.assertions).toEqual([{ name: 'A record', pass: true, expected: '"10.1.2.4"', actual: '10.1.2.3, 10.1.2.4' }]);
  });

  it('fails when an expected record is missing', async () => {
    const outcome = await runCheck(check({ hostname: 'app.medic.test', expect: ['10.1.2.3', '10.9.9.9'] }), checkContext());
    expect(outcome.status).toBe('down');
    expect(outcome.networkError).toBe(false);
    expect(outcome.error).toBe('expected A record "10.9.9.9" among the answers, got 10.1.2.3, 10.1.2.4');
  });

  it('accepts a resolver given by host name', async () => {
    const outcome = await runCheck(check({ hostname: 'app.medic.test', resolver: dns.address.replace('127.0.0.1', 'localhost') }), checkContext());
    expect(outcome.status).toBe('up');
  });

  it('resolves TXT records, joined per record', async () => {
    const outcome = await runCheck(check({ hostname: 'app.medic.test', record_type: 'TXT', expect: ['site-verification=abc'] }), checkContext());
    expect(outcome.status).toBe('up');
    expect(dns.queries).toContain('app.medic.test TXT');
  });

  it('compares AAAA answers as addresses', async () => {
    const outcome = await runCheck(check({ hostname: 'v6.medic.test', record_type: 'AAAA', expect: ['2001:0db8:0:0::1'] }), checkContext());
    expect(outcome.status).toBe('up');
  });

  it('is down, not a network error, for a name that does not exist', async () => {
    const outcome = await runCheck(check({ hostname: 'nope.medic.test' }), checkContext());
    expect(outcome.status).toBe('down');
    expect(outcome.networkError).toBe(false);
    expect(outcome.error).toBe('no A records for nope.medic.test (ENOTFOUND)');
  });

  it('is down for a name without records of the type', async () => {
    const outcome = await runCheck(check({ hostname: 'v6.medic.test', record_type: 'A' }), checkContext());
    expect(outcome.status).toBe('down');
    expect(outcome.error).toBe('no A records for v6.medic.test (ENODATA)');
  });

  it('times out, as a network error, when the server never answers', async () => {
    const outcome = await runCheck(check({ hostname: 'silent.medic.test', timeout: '300ms' }), checkContext());
    expect(outcome.status).toBe('down');
    expect(outcome.networkError).toBe(true);
    expect(outcome.error).toBe('timeout after 300 ms');
  });
});
