import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { loadConfigText } from '../../src/config/index.js';
import { resolveIncident } from '../../src/incidents/index.js';
import { evaluateRecovery, progressPayload, queryNumber, verificationSettings } from '../../src/verify/index.js';
import { incidentOf, openHarness, type AutomationHarness } from '../helpers/automation.js';
import { runCli } from '../helpers/cli.js';
import { alert } from '../helpers/incidents.js';
import { startPrometheus, type TestPrometheus } from '../helpers/prometheus.js';
import { tempDir } from '../resolve/helpers.js';

/**
 * Verification against a real Prometheus scraping a local exporter. The test drives the exporter's
 * counters: while the service is faulty, 3 of every 10 requests fail; once fixed, none do. Each step
 * waits until Prometheus itself shows the state the evaluation is about (scrapes are every second), so
 * what is asserted is Medic's reading of Prometheus, not how fast it scrapes.
 */

const ERROR_RATE = 'sum(rate(shop_requests_total{code=~"5.."}[3s])) / sum(rate(shop_requests_total[3s]))';
const LATENCY = 'max(shop_latency_p95_seconds) * 1000';

let prom: TestPrometheus;
let faulty = true;
let ok = 0;
let errors = 0;
let ticker: NodeJS.Timeout;
const exposition = () =>
  [
    '# TYPE shop_requests_total counter',
    `shop_requests_total{code="200"} ${ok}`,
    `shop_requests_total{code="500"} ${errors}`,
    '# TYPE shop_latency_p95_seconds gauge',
    'shop_latency_p95_seconds 0.212',
    '',
  ].join('\n');

beforeAll(async () => {
  prom = await startPrometheus(exposition());
  ticker = setInterval(() => {
    ok += faulty ? 7 : 10;
    errors += faulty ? 3 : 0;
    prom.setMetrics(exposition());
  }, 100);
}, 60_000);
afterAll(async () => {
  clearInterval(ticker);
  await prom?.stop();
});

const config = (url: string) => `
prometheus: { url: "${url}" }
services:
  - name: shop
    metrics: { error_rate: '${ERROR_RATE}', latency_p95_ms: '${LATENCY}' }
    verification: { window: 2m, interval: 30s, max_error_rate: 1%, max_latency_p95: 500ms }
`;

/** Waits until Prometheus answers the error-rate query with a value that passes `check`. */
async function promShows(check: (v: number) => boolean): Promise<void> {
  const prometheus = { url: prom.url, timeout: 5000, headers: {} };
  const until = Date.now() + 30_000;
  for (;;) {
    const r = await queryNumber(prometheus, ERROR_RATE);
    if (r.value !== null && check(r.value)) return;
    if (Date.now() > until) throw new Error(`Prometheus never showed the expected error rate (last: ${JSON.stringify(r)})`);
    await new Promise((res) => setTimeout(res, 250));
  }
}

describe('verification from Prometheus metrics', () => {
  let h: AutomationHarness;
  afterEach(async () => h?.close());

  it('watches the error rate fall after the fix and verifies: "Error rate: 0%, P95 latency: 212 ms"', async () => {
    faulty = true;
    await promShows((v) => v > 0.2);
    h = await openHarness('sqlite', config(prom.url));
    const id = await h.ingest([alert({ service: 'shop', fingerprint: 'shop' })]);
    await resolveIncident(h.core.incidents, id, 'restarted', 'alice');
    await h.runDue();
    let progress = (await h.timeline(id)).filter((e) => e.type === 'verification_progress');
    expect(progress).toHaveLength(1);
    expect(progress[0]!.payload).toMatchObject({ healthy: false, latency_p95_ms: 212 });
    expect(progress[0]!.payload.error_rate as number).toBeGreaterThan(0.2);
    expect(progress[0]!.payload.line).toMatch(/^Error rate: (2\d|3\d)(\.\d+)?%, P95 latency: 212 ms$/);
    // What the timeline shows: each figure against its bound, and where the window stands.
    expect(progress[0]!.payload).toMatchObject({ max_error_rate: 0.01, max_latency_p95_ms: 500 });
    expect(progress[0]!.payload.summary).toMatch(/^error rate (2\d|3\d)(\.\d+)?% ≥ 1%; p95 latency 212 ms < 500 ms — not healthy, 0s of the 2m window$/);

    faulty = false;
    await promShows((v) => v === 0);
    h.clock.advance(30_000);
    await h.runDue();
    progress = (await h.timeline(id)).filter((e) => e.type === 'verification_progress');
    expect(progress.at(-1)!.payload).toMatchObject({ healthy: true, error_rate: 0, latency_p95_ms: 212, line: 'Error rate: 0%, P95 latency: 212 ms' });
    expect(progress.at(-1)!.payload.summary).toBe('error rate 0% < 1%; p95 latency 212 ms < 500 ms — healthy');
    expect((await h.timeline(id)).at(-1)).toMatchObject({ type: 'verified', payload: { message: '✓ shop is healthy (Error rate: 0%, P95 latency: 212 ms). Recovery confirmed.' } });
    expect((await incidentOf(h, id)).status).toBe('closed');
  });

  it('treats a query with no data, a rejected query and a latency over the bound as not healthy', async () => {
    const { config: cfg } = loadConfigText(config(prom.url), { env: {} });
    h = await openHarness('sqlite', config(prom.url));
    const at = Date.now();
    const watchers = { monitors: false, errorRate: true, latency: true };
    const evaluate = (metrics: { error_rate: string; latency_p95_ms: string }) =>
      evaluateRecovery(h.core.rt.store.db, { ...cfg, services: [{ ...cfg.services[0]!, metrics }] }, { service: 'shop', since: at, at, settings: verificationSettings(cfg, 'shop'), watchers });
    const none = await evaluate({ error_rate: 'sum(no_such_metric_total)', latency_p95_ms: '100' });
    expect(none).toMatchObject({ healthy: false, line: 'Error rate: no data, P95 latency: 100 ms' });
    const bad = await evaluate({ error_rate: 'sum(rate(', latency_p95_ms: '100' });
    expect(bad.healthy).toBe(false);
    expect(bad.line).toMatch(/^Error rate: unknown \(Prometheus rejected the query \(bad_data\): .*\), P95 latency: 100 ms$/);
    const slow = await evaluate({ error_rate: '0.001', latency_p95_ms: '812.4' });
    expect(slow).toMatchObject({ healthy: false, line: 'Error rate: 0.1%, P95 latency: 812 ms' });
    // The timeline's sentence for each: the figure against its bound, or why there is none.
    const settings = verificationSettings(cfg, 'shop');
    const summary = (e: typeof none) => progressPayload(e, { since: at, deadline: at + settings.window, healthySince: null, evaluations: 1 }, settings).summary;
    expect(summary(none)).toBe('error rate: no data; p95 latency 100 ms < 500 ms — not healthy, 0s of the 2m window');
    expect(summary(bad)).toMatch(/^error rate: unknown \(Prometheus rejected the query \(bad_data\): .*\); p95 latency 100 ms < 500 ms — not healthy, 0s of the 2m window$/);
    expect(summary(slow)).toBe('error rate 0.1% < 1%; p95 latency 812 ms ≥ 500 ms — not healthy, 0s of the 2m window');
  });

  it('medic verify streams the evaluations and exits 0 when healthy, 1 when the window ends first', async () => {
    const dir = tempDir('medic-verify-prom-');
    const file = path.join(dir, 'medic.yaml');
    writeFileSync(file, `storage: { url: "sqlite://${path.join(dir, 'medic.db')}" }\n${config(prom.url)}`);

    // Still fixed from the test before: healthy at the first evaluation.
    faulty = false;
    await promShows((v) => v === 0);
    const healthy = await runCli(['verify', 'shop', '--window', '10s', '--interval', '1s', '-c', file]);
    expect(healthy.code).toBe(0);
    expect(healthy.stdout).toMatch(/^\[\d\d:\d\d:\d\d\] Error rate: 0%, P95 latency: 212 ms\n✓ Service metrics are healthy\. Recovery confirmed\.\n$/);

    faulty = true;
    await promShows((v) => v > 0.2);
    const failing = await runCli(['verify', 'shop', '--window', '1s', '--interval', '500ms', '-c', file]);
    expect(failing.code).toBe(1);
    const lines = failing.stdout.trimEnd().split('\n');
    expect(lines[0]).toMatch(/^\[\d\d:\d\d:\d\d\] Error rate: \d+(\.\d+)?%, P95 latency: 212 ms$/);
    expect(lines.at(-1)).toBe('✗ Service did not recover within the expected window.');
  });
});
