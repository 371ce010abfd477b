import { monitor, type MonitorType } from '../../src/config/index.js';
import type { CheckContext, MonitorOfType } from '../../src/detect/checks/index.js';

/** A monitor parsed by the real config schema, so defaults are the ones medic.yaml gets. */
export function parseMonitor<T extends MonitorType>(type: T, raw: Record<string, unknown>): MonitorOfType<T> {
  return monitor.parse({ name: `test ${type}`, type, ...raw }) as MonitorOfType<T>;
}

export function checkContext(overrides: Partial<CheckContext> = {}): CheckContext {
  return { signal: new AbortController().signal, now: () => Date.now(), ...overrides };
}
