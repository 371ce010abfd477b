import type { LoadedConfig, MonitorConfig } from '../config/index.js';
import { AlertRuleEvaluator } from '../detect/rules/alert-rules.js';
import { Scheduler, type SchedulerOptions } from '../detect/scheduler/index.js';
import { syncMonitors } from '../detect/monitors/sync.js';
import type { Core } from './core.js';

/**
 * The detect phase of a worker: the monitors of the loaded config synced to the database, the
 * scheduler that runs them, and the alert rules over their results. `reload` applies a new config's
 * monitors and alert rules without touching the state of monitors that did not change.
 */
export interface Monitoring {
  scheduler: Scheduler;
  rules: AlertRuleEvaluator;
  reload(loaded: LoadedConfig): Promise<void>;
  stop(): Promise<void>;
}

export interface MonitoringOptions extends SchedulerOptions {
  /** Start the loops (default). Tests drive `scheduler.runDue()` and `rules.tick()` instead. */
  start?: boolean;
  /** Each run's lag in ms (benchmarks). */
  onLag?: (ms: number) => void;
}

const byName = (monitors: readonly MonitorConfig[]) => new Map(monitors.map((m) => [m.name, m]));

export async function startMonitoring(core: Core, options: MonitoringOptions = {}): Promise<Monitoring> {
  const { rt } = core;
  let config = rt.loaded.config;
  let monitors = byName(config.monitors);
  const sync = async (loaded: LoadedConfig) => {
    const summary = await rt.store.transaction(async (trx) => {
      // Workers starting together all sync the same monitors: one at a time, or two of them insert the
      // same new monitor and the loser's start fails on the unique name.
      await rt.store.dialect.lockKey(trx, 'medic:monitor-sync');
      return syncMonitors(trx, rt.store.dialect, loaded.config.monitors, loaded.redactor, rt.clock.now());
    });
    if (summary.added.length + summary.changed.length + summary.disabled.length > 0) {
      rt.logger.info({ added: summary.added.length, changed: summary.changed, disabled: summary.disabled, unchanged: summary.unchanged }, 'monitors synced');
    }
    return summary;
  };
  await sync(rt.loaded);

  const scheduler = new Scheduler(
    { store: rt.store, clock: rt.clock, logger: rt.logger, metrics: rt.metrics, incidents: core.incidents, redactor: rt.loaded.redactor, monitors: () => monitors, retentionMs: config.retention.check_results, rollupRetentionMs: config.status_page?.history, ...(options.onLag ? { onLag: options.onLag } : {}) },
    { concurrency: config.workers.concurrency, leaseMs: config.workers.lease, location: options.location ?? config.workers.location, ...options },
  );
  const rules = new AlertRuleEvaluator(core.incidents, () => config, rt.logger);
  let rulesTimer: NodeJS.Timeout | undefined;
  if (options.start ?? true) {
    scheduler.start();
    rulesTimer = setInterval(() => void rules.tick().catch((err: unknown) => rt.logger.warn({ err }, 'alert rules failed')), 1_000);
  }

  return {
    scheduler,
    rules,
    async reload(loaded) {
      rt.loaded.redactor.addAll(loaded.redactor);
      const summary = await sync(loaded);
      config = loaded.config;
      scheduler.forget(summary.disabled);
      monitors = byName(config.monitors);
    },
    async stop() {
      if (rulesTimer) clearInterval(rulesTimer);
      await scheduler.stop();
    },
  };
}
