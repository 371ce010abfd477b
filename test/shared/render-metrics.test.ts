import { Counter, Histogram, Registry } from 'prom-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LabelledGauge, registerLabelledGauge } from '../../src/shared/labelled-gauge.js';
import { renderMetrics } from '../../src/shared/metrics.js';
import { startPrometheus, type TestPrometheus } from '../helpers/prometheus.js';

describe('renderMetrics', () => {
  const registry = new Registry();
  new Counter({ name: 'a_total', help: 'a', labelNames: ['x'], registers: [registry] }).inc({ x: 'one' }, 2);
  new Histogram({ name: 'c_seconds', help: 'c', labelNames: ['phase'], buckets: [0.1, 1], registers: [registry] }).observe({ phase: 'total' }, 0.5);

  it('writes exactly what prom-client writes for a registry without per-monitor gauges', async () => {
    expect(await renderMetrics(registry)).toBe(await registry.metrics());
  });

  describe('with per-monitor gauges, as a real Prometheus reads them', () => {
    const withGauges = new Registry();
    new Counter({ name: 'a_total', help: 'a', registers: [withGauges] }).inc(3);
    const up = registerLabelledGauge(withGauges, new LabelledGauge('medic_check_up', 'up "quoted"\nhelp \\ slash', 'monitor'));
    const last = registerLabelledGauge(withGauges, new LabelledGauge('medic_check_last_duration_seconds', 'last', 'monitor'));
    const odd = 'a "quoted" \\ back\nslash';
    for (let i = 0; i < 50; i++) up.set(`m${i}`, i % 2);
    up.set(odd, 1);
    up.set('gone', 1);
    up.remove('gone');
    last.set('m1', 0.25);
    last.set('m2', Infinity);
    let prometheus: TestPrometheus;

    beforeAll(async () => {
      prometheus = await startPrometheus(await renderMetrics(withGauges));
    }, 60_000);
    afterAll(() => prometheus?.stop());

    const query = async (q: string) => {
      const res = await fetch(`${prometheus.url}/api/v1/query?query=${encodeURIComponent(q)}`);
      return ((await res.json()) as { data: { result: { metric: Record<string, string>; value: [number, string] }[] } }).data.result;
    };

    it('has every series with its label value intact and nothing removed', async () => {
      const series = await query('medic_check_up');
      expect(series).toHaveLength(51);
      expect(series.find((s) => s.metric.monitor === odd)?.value[1]).toBe('1');
      expect(series.find((s) => s.metric.monitor === 'm3')?.value[1]).toBe('1');
      expect(series.find((s) => s.metric.monitor === 'gone')).toBeUndefined();
      const lasts = await query('medic_check_last_duration_seconds');
      expect(Object.fromEntries(lasts.map((s) => [s.metric.monitor, s.value[1]]))).toEqual({ m1: '0.25', m2: '+Inf' });
      expect((await query('a_total'))[0]?.value[1]).toBe('3');
    });
  });

  it('renders only the metrics asked for by name, its own gauges included', async () => {
    const r = new Registry();
    new Counter({ name: 'a_total', help: 'a', registers: [r] }).inc();
    registerLabelledGauge(r, new LabelledGauge('g', 'g', 'monitor')).set('x', 1);
    expect(await renderMetrics(r, ['g'])).toBe('# HELP g g\n# TYPE g gauge\ng{monitor="x"} 1\n');
    expect(await renderMetrics(r, ['a_total', 'nope'])).toBe(`${await r.getSingleMetricAsString('a_total')}\n`);
  });
});
