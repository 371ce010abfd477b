import { closest } from '../config/suggest.js';
import type { LoadedConfig } from '../config/index.js';
import { UsageError } from './output.js';

/**
 * Names given on the command line, looked up in the config once it is loaded (commander cannot check
 * them: the config is read after parsing). An unknown name is bad input, exit 2.
 */

export function requireService({ config }: LoadedConfig, name: string): void {
  if (!config.services.some((s) => s.name === name)) throw new UsageError(`no service ${JSON.stringify(name)} in services: (known: ${config.services.map((s) => s.name).join(', ') || 'none'})`);
}

export function requireMonitor({ config, file }: LoadedConfig, name: string) {
  const monitor = config.monitors.find((m) => m.name === name);
  if (monitor) return monitor;
  const hint = closest(name, config.monitors.map((m) => m.name));
  throw new UsageError(`no monitor named ${JSON.stringify(name)} in ${file}${hint ? ` (did you mean ${JSON.stringify(hint)}?)` : ''}`);
}

export function requireSchedule({ config }: LoadedConfig, name: string): void {
  const names = config.oncall.schedules.map((s) => s.name);
  if (names.includes(name)) return;
  const hint = closest(name, names);
  throw new UsageError(`no schedule ${JSON.stringify(name)}${hint ? ` (did you mean ${JSON.stringify(hint)}?)` : ''}; configured: ${names.join(', ') || 'none'}`);
}
