import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfigText } from '../../src/config/index.js';
import { alertCoverage, analyzeCoverage, modeOf } from '../../src/report/index.js';
import { Store, toJson, type Db } from '../../src/store/index.js';
import { openTestApp, type TestApp } from '../helpers/app.js';
import { runCli } from '../helpers/cli.js';
import { ENGINES, openTestStore, type TestStore } from '../helpers/stores.js';

/**
 * A config with known gaps and known worst cases (worked out by hand below), plus alerts received from
 * Alertmanager and a webhook.
 */
const CONFIG = `
services:
  - { name: checkout, depends_on: [payments, inventory] }
  - { name: payments }
  - { name: inventory }
  - { name: search }
monitors:
  # 30s + 2 × 5s + 1 × 5s = 45s; availability and latency
  - name: checkout-journey
    service: checkout
    type: multi-step
    interval: 30s
    timeout: 5s
    failure_threshold: 2
    retry_interval: 5s
    steps:
      - { url: "https://shop.example/cart", assert_status: 200, assert_load_time_ms: 1500 }
  # 5m + 3 × 10s + 2 × 10s = 5m50s: slow, mostly the interval
  - { name: payments-health, service: payments, url: "https://pay.example/health", interval: 5m, timeout: 10s, failure_threshold: 3, retry_interval: 10s }
  # 30s + 1 × (3 attempts × 5s + retry delays 1s + 2s) = 48s
  - name: payments-port
    service: payments
    type: tcp
    host: pay.example
    port: 443
    interval: 30s
    timeout: 5s
    failure_threshold: 1
    retry: { count: 2, delay: 1s, strategy: exponential }
  # 1m + 30s grace = 1m30s
  - { name: inventory-heartbeat, service: inventory, type: heartbeat, interval: 1m, grace: 30s, failure_threshold: 1 }
  - { name: disabled, service: search, url: "https://search.example/", enabled: false }
alerts:
  # 30s evaluation + 5m for = 5m30s: slow, mostly for
  - { name: payment_error_rate, service: payments, type: error_rate, condition: "error_rate > 5%", for: 5m }
  - { name: checkout_errors, service: checkout, type: error_rate, condition: "error_rate > 5%", for: 1m, evaluation_interval: 15s }
`;

const NOW = Date.UTC(2026, 10, 27, 12);
const DAY = 86_400_000;

async function receive(db: Db) {
  const row = (source: string, name: string, service: string | null, labels: Record<string, string>, receivedAt: number) => ({
    incident_id: null, fingerprint: `${name}-${service}`, source, name, service, severity: 'P2', status: 'firing',
    labels: toJson({ alertname: name, ...labels }), annotations: '{}', starts_at: receivedAt, ends_at: null, received_at: receivedAt,
    generator_url: null, group_key: null, silence_id: null,
  });
  await db
    .insertInto('alerts')
    .values([
      row('alertmanager', 'PaymentsHighLatency', 'payments', {}, NOW - DAY),
      row('alertmanager', 'PaymentsHighLatency', 'payments', {}, NOW - 2 * DAY),
      row('alertmanager', 'StripeUnreachable', 'payments', { alert_type: 'dependency' }, NOW - 3 * DAY),
      row('webhook', 'DiskFull', 'inventory', {}, NOW - DAY),
      row('alertmanager', 'SearchDown', 'search-api', {}, NOW - 10 * DAY),
      // Medic's own, read from the config instead; and one too old to count.
      row('monitor', 'inventory-latency', 'inventory', {}, NOW - DAY),
      row('alertmanager', 'InventoryLatency', 'inventory', {}, NOW - 100 * DAY),
    ])
    .execute();
}

function expectKnownCoverage(report: Awaited<ReturnType<typeof alertCoverage>>) {
  const byService = Object.fromEntries(report.services.map((s) => [s.service, s]));
  expect(Object.keys(byService)).toEqual(['checkout', 'inventory', 'payments', 'search', 'search-api']);
  expect(byService.checkout!.gaps).toEqual([]);
  expect(byService.checkout!.modes.dependency).toEqual({ covered: true, by: ['payments', 'inventory'], throughDependencies: true });
  expect(byService.checkout!.modes.latency.by).toEqual(['checkout-journey']);
  expect(byService.payments!.gaps).toEqual([]);
  expect(byService.payments!.modes.latency.by).toEqual(['PaymentsHighLatency']);
  expect(byService.payments!.modes.dependency.by).toEqual(['StripeUnreachable']);
  expect(byService.inventory!.gaps).toEqual(['latency', 'error_rate', 'dependency']);
  expect(byService.search).toMatchObject({ configured: true, gaps: ['availability', 'latency', 'error_rate', 'dependency'] });
  expect(byService['search-api']).toMatchObject({ configured: false, gaps: ['latency', 'error_rate', 'dependency'] });
  expect(report.summary).toEqual({ services: 5, gaps: 10, servicesWithGaps: 3, slow: 2, unclassified: 1 });
  expect(report.ok).toBe(false);

  const detector = (name: string) => report.detectors.find((d) => d.name === name)!;
  expect(detector('checkout-journey')).toMatchObject({ worstCaseMs: 45_000, slow: null, modes: ['availability', 'latency'] });
  expect(detector('payments-health')).toMatchObject({ worstCaseMs: 350_000, slow: 'lower interval: interval 5m of the 5m50s' });
  expect(detector('payments-port')).toMatchObject({ worstCaseMs: 48_000, slow: null });
  expect(detector('inventory-heartbeat')).toMatchObject({ worstCaseMs: 90_000, slow: null });
  expect(detector('payment_error_rate')).toMatchObject({ worstCaseMs: 330_000, slow: 'lower for: for 5m of the 5m30s' });
  expect(detector('checkout_errors')).toMatchObject({ worstCaseMs: 75_000, slow: null });
  expect(detector('StripeUnreachable')).toMatchObject({ kind: 'received', source: 'alertmanager', classifiedBy: 'label alert_type=dependency', worstCaseMs: null });
  expect(detector('DiskFull')).toMatchObject({ modes: [], source: 'webhook' });
  expect(report.detectors.map((d) => d.name)).not.toContain('disabled');
  expect(report.detectors.map((d) => d.name)).not.toContain('InventoryLatency');
  expect(report.detectors.map((d) => d.name)).not.toContain('inventory-latency');
}

describe('failure modes of received alerts', () => {
  it('reads a label first, then the words of the name', () => {
    const mode = (name: string, labels: Record<string, string> = {}) => modeOf({ name, labels })?.mode;
    expect(mode('Anything', { alert_type: 'latency' })).toBe('latency');
    expect(mode('Anything', { type: 'Error-Rate' })).toBe('error_rate');
    expect(mode('HighLatency')).toBe('latency');
    expect(mode('CheckoutP99Slow')).toBe('latency');
    expect(mode('PaymentErrorRate')).toBe('error_rate');
    expect(mode('http_5xx_ratio')).toBe('error_rate');
    expect(mode('UpstreamStripeDown')).toBe('dependency');
    expect(mode('InstanceDown')).toBe('availability');
    expect(mode('KubePodCrashLooping')).toBe('availability');
    expect(mode('DiskFull')).toBeUndefined();
  });

  it('covers nothing without config or alerts, and everything in a complete config', () => {
    expect(analyzeCoverage({ services: [], monitors: [], alerts: [] }, [])).toMatchObject({ services: [], ok: true });
    const { config } = loadConfigText(
      `services: [{ name: api }]
monitors: [{ name: api, service: api, url: "https://api.example/", interval: 30s, assert_load_time_ms: 500 }]
alerts:
  - { name: api_errors, service: api, type: error_rate, for: 30s }
  - { name: api_db, service: api, type: dependency, for: 30s }`,
      { env: {} },
    );
    expect(analyzeCoverage(config, [])).toMatchObject({ ok: true, summary: { gaps: 0, slow: 0 } });
  });
});

describe.each(ENGINES)('alert coverage on %s', (engine) => {
  let t: TestStore;
  beforeAll(async () => {
    t = await openTestStore(engine);
    await receive(t.store.db);
  });
  afterAll(async () => t?.cleanup());

  it('finds the known gaps and slow detectors of the config and the received alerts', async () => {
    expectKnownCoverage(await alertCoverage(t.store.db, loadConfigText(CONFIG, { env: {} }).config, NOW));
  });
});

describe('GET /api/reports/coverage', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await openTestApp({ config: CONFIG });
    await receive(t.rt.store.db);
  });
  afterAll(async () => t?.close());

  it('answers the coverage to a viewer', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/api/reports/coverage', headers: t.as('viewer') });
    expect(res.statusCode).toBe(200);
    expectKnownCoverage(res.json());
  });
});

describe('medic coverage', () => {
  let dir: string;
  const write = (name: string, yaml: string) => {
    const file = path.join(dir, name);
    writeFileSync(file, `${yaml}\nstorage: { url: "sqlite://${dir}/medic.db" }\n`);
    return file;
  };
  beforeAll(async () => {
    dir = mkdtempSync(path.join(tmpdir(), 'medic-cli-coverage-'));
    const store = await Store.open({ url: `sqlite://${dir}/medic.db` });
    await receive(store.db);
    await store.close();
  });

  it('prints the table and the slow detectors, exit 0; --fail-on-gap exits 1', async () => {
    const file = write('gaps.yaml', CONFIG);
    const r = await runCli(['coverage', '-c', file]);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^service\s+availability\s+latency\s+error_rate\s+dependency\s+gaps$/m);
    expect(r.stdout).toMatch(/^checkout\s+✓\s+✓\s+✓\s+✓ \(deps\)\s+—$/m);
    expect(r.stdout).toMatch(/^inventory\s+✓\s+✗\s+✗\s+✗\s+latency, error_rate, dependency$/m);
    expect(r.stdout).toMatch(/^search-api \*/m);
    expect(r.stdout).toMatch(/^payments-health\s+monitor \(http\)\s+payments\s+availability\s+5m50s\s+SLOW: lower interval/m);
    expect(r.stdout).toMatch(/^DiskFull\s+received \(webhook\)\s+inventory\s+unclassified/m);
    expect(r.stdout).toContain('10 gaps in 3 services; 2 detectors slower than 2m.');
    expect((await runCli(['coverage', '--fail-on-gap', '-c', file])).code).toBe(1);
    const json = JSON.parse((await runCli(['coverage', '--json', '-c', file])).stdout);
    expect(json.summary).toEqual({ services: 5, gaps: 10, servicesWithGaps: 3, slow: 2, unclassified: 1 });
  });

  it('exits 0 with --fail-on-gap when every mode is covered in time', async () => {
    const file = write(
      'complete.yaml',
      `services: [{ name: payments }, { name: search-api }, { name: inventory }]
monitors:
  - { name: pay, service: payments, url: "https://pay.example/", interval: 30s, assert_load_time_ms: 800 }
  - { name: search, service: search-api, url: "https://search.example/", interval: 30s, assert_load_time_ms: 800 }
  - { name: inv, service: inventory, url: "https://inv.example/", interval: 30s, assert_load_time_ms: 800 }
alerts:
  - { name: pay_errors, service: payments, type: error_rate, for: 30s }
  - { name: search_errors, service: search-api, type: error_rate, for: 30s }
  - { name: search_dep, service: search-api, type: dependency, for: 30s }
  - { name: inv_errors, service: inventory, type: error_rate, for: 30s }
  - { name: inv_dep, service: inventory, type: dependency, for: 30s }`,
    );
    const r = await runCli(['coverage', '--fail-on-gap', '-c', file]);
    expect(r.stdout).toContain('Every service has each failure mode covered');
    expect(r.code).toBe(0);
  });
});
