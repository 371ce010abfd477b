import { Counter, Gauge, Histogram, Registry } from 'prom-client';
import { describe, expect, it } from 'vitest';
import { renderMetrics } from '../../src/shared/metrics.js';

describe('renderMetrics', () => {
  const registry = new Registry();
  new Counter({ name: 'a_total', help: 'a', labelNames: ['x'], registers: [registry] }).inc({ x: 'one' }, 2);
  const g = new Gauge({ name: 'b', help: 'b "quoted"\nhelp', labelNames: ['monitor'], registers: [registry] });
  for (let i = 0; i < 50; i++) g.set({ monitor: `m${i}` }, i);
  new Histogram({ name: 'c_seconds', help: 'c', labelNames: ['phase'], buckets: [0.1, 1], registers: [registry] }).observe({ phase: 'total' }, 0.5);

  it('writes exactly what prom-client writes for the whole registry', async () => {
    expect(await renderMetrics(registry)).toBe(await registry.metrics());
  });

  it('lets timers run between metrics instead of holding the event loop for the whole scrape', async () => {
    const order: string[] = [];
    setImmediate(() => order.push('timer'));
    await renderMetrics(registry).then(() => order.push('rendered'));
    expect(order).toEqual(['timer', 'rendered']);
    // What it replaces: the same registry through registry.metrics() keeps the timer waiting.
    order.length = 0;
    setImmediate(() => order.push('timer'));
    await registry.metrics().then(() => order.push('rendered'));
    expect(order[0]).toBe('rendered');
  });
});
