import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Redactor } from '../../src/config/index.js';
import { runStep } from '../../src/diagnose/steps/index.js';
import type { PromSample } from '../../src/shared/prometheus.js';
import { startPrometheus, type TestPrometheus } from '../helpers/prometheus.js';
import { closedPort, startRecordingServer } from '../helpers/recording-server.js';
import { context, step } from './helpers.js';

const METRICS = [
  '# TYPE payment_error_ratio gauge',
  'payment_error_ratio{service="payment"} 0.084',
  'payment_error_ratio{service="fraud"} 0.012',
  '# TYPE checkout_latency_p95_ms gauge',
  'checkout_latency_p95_ms 1240',
  '',
].join('\n');

describe('prometheus step against a real Prometheus', () => {
  let prom: TestPrometheus;
  beforeAll(async () => {
    prom = await startPrometheus(METRICS);
  });
  afterAll(() => prom?.stop());

  const target = () => ({ url: prom.url, timeoutMs: 5000, headers: {} });

  it('shows each series with its labels and value, and keeps the parsed vector', async () => {
    const out = await runStep(step({ prometheus: 'sum by (service) (payment_error_ratio)' }), context({ prometheus: target() }));
    expect(out.ok).toBe(true);
    expect(out.statusCode).toBe(200);
    expect(out.output.split('\n').sort()).toEqual(['{service="fraud"} 0.012', '{service="payment"} 0.084']);
    const vector = out.value as PromSample[];
    expect(vector.map((s) => [s.labels, s.value]).sort((a, b) => String(a[0]).localeCompare(String(b[0])))).toEqual(
      expect.arrayContaining([
        [{ service: 'payment' }, 0.084],
        [{ service: 'fraud' }, 0.012],
      ]),
    );
    expect(vector[0]!.timestamp).toBeGreaterThan(1_600_000_000);
  });

  it('shows the metric name and every label of a raw series', async () => {
    const out = await runStep(step({ prometheus: 'checkout_latency_p95_ms' }), context({ prometheus: target() }));
    expect(out.ok).toBe(true);
    expect(out.output).toMatch(/^checkout_latency_p95_ms\{instance="127\.0\.0\.1:\d+", job="exporter"\} 1240$/);
  });

  it('shows a scalar and an empty result', async () => {
    const scalar = await runStep(step({ prometheus: 'scalar(checkout_latency_p95_ms) / 1000' }), context({ prometheus: target() }));
    expect(scalar).toMatchObject({ ok: true, output: '1.24', value: 1.24 });
    const empty = await runStep(step({ prometheus: 'payment_error_ratio{service="nope"}' }), context({ prometheus: target() }));
    expect(empty).toMatchObject({ ok: true, output: '(no series)', value: [] });
  });

  it('reports bad PromQL with Prometheus’s explanation', async () => {
    const out = await runStep(step({ prometheus: 'sum(rate(http_requests_total[1m]' }), context({ prometheus: target() }));
    expect(out.ok).toBe(false);
    expect(out.statusCode).toBe(400);
    expect(out.error).toMatch(/^Prometheus rejected the query \(bad_data\): .*parse error/);
    expect(out.output).toBe(out.error);
  });
});

describe('prometheus step without a usable Prometheus', () => {
  it('fails clearly when no Prometheus is configured', async () => {
    const out = await runStep(step({ prometheus: 'up' }), context());
    expect(out).toMatchObject({ ok: false, error: 'no Prometheus configured: set prometheus.url in medic.yaml' });
  });

  it('fails clearly when Prometheus is unreachable', async () => {
    const port = await closedPort();
    const out = await runStep(step({ prometheus: 'up' }), context({ prometheus: { url: `http://127.0.0.1:${port}`, timeoutMs: 2000, headers: {} } }));
    expect(out.ok).toBe(false);
    expect(out.error).toMatch(new RegExp(`^Prometheus at http://127.0.0.1:${port}: .*ECONNREFUSED`));
  });

  it('sends the configured headers and says when the answer is not Prometheus’s', async () => {
    const server = await startRecordingServer(() => ({ status: 200, body: '<html>login</html>' }));
    try {
      const redactor = new Redactor(['prom-token-1234']);
      const out = await runStep(
        step({ prometheus: 'up{job="x"}', timeout: '10s' }),
        context({ redactor, prometheus: { url: `${server.url}/prom/`, timeoutMs: 3000, headers: { Authorization: 'Bearer prom-token-1234' } } }),
      );
      expect(out.ok).toBe(false);
      expect(out.error).toMatch(/without a query result/);
      expect(out.output).toBe('<html>login</html>');
      const req = server.requests[0]!;
      expect(req.url).toBe(`/prom/api/v1/query?query=${encodeURIComponent('up{job="x"}').replace(/%20/g, '+')}&timeout=3`);
      expect(req.headers.authorization).toBe('Bearer prom-token-1234');
    } finally {
      await server.close();
    }
  });
});
