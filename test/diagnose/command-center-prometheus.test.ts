import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfigText } from '../../src/config/index.js';
import { CommandCenterService } from '../../src/diagnose/index.js';
import { systemClock } from '../../src/shared/clock.js';
import { startPrometheus, type TestPrometheus } from '../helpers/prometheus.js';
import { openTestStore, type TestStore } from '../helpers/stores.js';

/**
 * The command center's figures from a real Prometheus scraping a local exporter: two services with all
 * three metrics, one whose query Prometheus rejects. Prometheus was started moments ago, so one window
 * ago it had nothing: the "previous" figures are null, which also shows the earlier instant is asked for.
 */

const EXPOSITION = [
  '# TYPE shop_error_ratio gauge',
  'shop_error_ratio{service="payment"} 0.08',
  'shop_error_ratio{service="search"} 0.01',
  '# TYPE shop_p95_ms gauge',
  'shop_p95_ms{service="payment"} 812',
  'shop_p95_ms{service="search"} 300',
  '# TYPE shop_rps gauge',
  'shop_rps{service="payment"} 20',
  'shop_rps{service="search"} 80',
  '',
].join('\n');

const metrics = (service: string) =>
  `{ error_rate: 'max(shop_error_ratio{service="${service}"})', latency_p95_ms: 'max(shop_p95_ms{service="${service}"})', throughput: 'max(shop_rps{service="${service}"})' }`;

let prom: TestPrometheus;
let ts: TestStore;
beforeAll(async () => {
  [prom, ts] = await Promise.all([startPrometheus(EXPOSITION), openTestStore('sqlite')]);
}, 60_000);
afterAll(async () => {
  await prom?.stop();
  await ts?.cleanup();
});

describe('the command center with Prometheus', () => {
  it('reads each service’s metrics in the background and shows them instead of the checks’', async () => {
    const { config } = loadConfigText(
      `
prometheus: { url: "${prom.url}", timeout: 5s }
services:
  - { name: payment, metrics: ${metrics('payment')} }
  - { name: search, metrics: ${metrics('search')} }
  - { name: broken, metrics: { error_rate: 'sum(' } }
  - { name: plain }
`,
      { env: {} },
    );
    const service = new CommandCenterService({ store: ts.store, config, clock: systemClock });
    try {
      // The first answer does not wait for Prometheus: figures from the checks (there are none).
      const first = await service.get();
      expect(first.prometheus).toEqual({ configured: true, services: 3, sampledAt: null, errors: [] });
      expect(first.tiles.errorRate.source).toBe('checks');

      await service.sampler.refresh(5 * 60_000);
      const body = await service.get();
      expect(body.prometheus.sampledAt).toEqual(expect.any(Number));
      expect(body.prometheus.errors).toEqual([expect.stringMatching(/^broken error_rate: Prometheus rejected the query \(bad_data\): /)]);
      // (0.08 × 20 + 0.01 × 80) / (20 + 80): weighted by each service's traffic.
      expect(body.tiles.errorRate).toEqual({ value: expect.closeTo(0.024, 9), previous: null, source: 'prometheus', basis: '2 services' });
      expect(body.tiles.latencyP95Ms).toEqual({ value: 812, previous: null, source: 'prometheus', basis: 'slowest: payment' });
      expect(body.tiles.throughputPerMinute).toEqual({ value: 6000, previous: null, source: 'prometheus', basis: '2 services' });
      expect(body.services.items).toEqual([
        { service: 'payment', errorRate: { value: 0.08, previous: null }, source: 'prometheus', runs: null, failed: null },
        { service: 'search', errorRate: { value: 0.01, previous: null }, source: 'prometheus', runs: null, failed: null },
      ]);
    } finally {
      service.stop();
    }
  });
});
