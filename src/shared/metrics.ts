import { collectDefaultMetrics, Gauge, Registry } from 'prom-client';
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
