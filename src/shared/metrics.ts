import { collectDefaultMetrics, Gauge, Registry } from 'prom-client';
import { setImmediate } from 'node:timers/promises';
import { MEDIC_VERSION } from './version.js';

/**
 * One Prometheus registry per Medic process (not prom-client's global one, so tests can build several
 * apps in one process). Modules register their own metrics on it.
 */
export function createMetricsRegistry(options: { role?: string; processMetrics?: boolean } = {}): Registry {
  const registry = new Registry();
  if (options.processMetrics !== false) collectDefaultMetrics({ register: registry, prefix: 'medic_' });
  const info = new Gauge({
    name: 'medic_build_info',
    help: 'Medic build information; the value is always 1.',
    labelNames: ['version', 'node', 'role'],
    registers: [registry],
  });
  info.set({ version: MEDIC_VERSION, node: process.version, role: options.role ?? 'all' }, 1);
  return registry;
}

/**
 * The whole registry in the Prometheus text format, as `registry.metrics()` writes it, but one metric at
 * a time with a turn of the event loop between them: prom-client formats each metric synchronously, and
 * all of them in one go held up every timer (due checks) for the length of the whole scrape. Now the
 * longest hold-up is the largest single metric (a per-monitor gauge).
 */
export async function renderMetrics(registry: Registry): Promise<string> {
  const parts: string[] = [];
  for (const metric of registry.getMetricsAsArray()) {
    parts.push(await registry.getSingleMetricAsString(metric.name));
    await setImmediate();
  }
  return `${parts.join('\n\n')}\n`;
}
