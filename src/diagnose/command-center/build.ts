import type { MedicConfig } from '../../config/index.js';
import type { Store } from '../../store/index.js';
import { waitingApprovals } from './approvals.js';
import { firingAlerts } from './alerts.js';
import { recentDeployments, recentFlagChanges } from './changes.js';
import { checkAggregates } from './checks.js';
import { activeIncidents } from './incidents.js';
import { monitorOverview } from './monitors.js';
import type { PrometheusSample } from './prometheus.js';
import type { CommandCenter } from './schema.js';
import { deploymentsBefore } from './suspects.js';
import { serviceRates, tiles } from './tiles.js';
import { timeWindow } from './window.js';

/**
 * One command-center answer: every part read in its own bounded query (they run side by side; on
 * PostgreSQL on several connections of the pool), then put together. Lists are capped by `limits`,
 * and each says how many there are in all.
 */

export interface CommandCenterLimits {
  services: number;
  deployments: number;
  flagChanges: number;
  incidents: number;
  alerts: number;
  approvals: number;
  monitors: number;
}

export const DEFAULT_LIMITS: CommandCenterLimits = { services: 10, deployments: 8, flagChanges: 8, incidents: 20, alerts: 20, approvals: 10, monitors: 20 };

export interface CommandCenterInput {
  store: Store;
  config: Pick<MedicConfig, 'services' | 'incidents' | 'prometheus'>;
  now: number;
  windowMs?: number;
  /** The latest Prometheus sample, if services have metrics (see PrometheusSampler). */
  prometheus?: PrometheusSample;
  /** How many services have metrics Medic reads. */
  prometheusServices?: number;
  limits?: Partial<CommandCenterLimits>;
  /** Applied to text that may quote configuration (Prometheus errors name its URL). */
  redact?: (text: string) => string;
}

export async function commandCenter(input: CommandCenterInput): Promise<CommandCenter> {
  const { store, config, now } = input;
  const limits = { ...DEFAULT_LIMITS, ...input.limits };
  const w = timeWindow(now, input.windowMs);
  const db = store.db;
  const active = activeIncidents(db, limits.incidents);
  // The deployments before the incidents are looked up as soon as the incidents are in, not after the rest.
  const [incidents, suspects, checks, monitors, alerts, approvals, deployments, flagChanges] = await Promise.all([
    active,
    active.then((i) => deploymentsBefore(db, config, i.items)),
    checkAggregates(store, w, limits.services),
    monitorOverview(db, limits.monitors),
    firingAlerts(db, limits.alerts),
    waitingApprovals(db, limits.approvals),
    recentDeployments(db, limits.deployments),
    recentFlagChanges(db, limits.flagChanges),
  ]);

  const justBefore = new Map<number, number[]>();
  for (const [incidentId, d] of suspects) justBefore.set(d.id, [...(justBefore.get(d.id) ?? []), incidentId]);
  const sample = input.prometheus;
  const redact = input.redact ?? ((t: string) => t);

  return {
    generatedAt: now,
    window: w,
    tiles: tiles(checks, sample, w.ms, monitors.total),
    services: serviceRates(checks, sample, limits.services),
    deployments: deployments.map((d) => ({
      id: d.id,
      service: d.service,
      version: d.version,
      commit: d.commit,
      url: d.url,
      actor: d.actor,
      rollback: d.rollback,
      deployedAt: d.deployedAt,
      justBefore: (justBefore.get(d.id) ?? []).sort((a, b) => a - b),
    })),
    flagChanges,
    incidents: {
      total: incidents.total,
      items: incidents.items.map((i) => {
        const d = suspects.get(i.id);
        const start = i.startedAt ?? i.detectedAt;
        return {
          ...i,
          deploymentBefore:
            d && start !== null
              ? { deploymentId: d.id, service: d.service, version: d.version, deployedAt: d.deployedAt, minutesBefore: Math.round(((start - d.deployedAt) / 60_000) * 10) / 10 }
              : null,
        };
      }),
    },
    alerts,
    approvals,
    monitors,
    prometheus: {
      configured: config.prometheus !== undefined,
      services: input.prometheusServices ?? 0,
      sampledAt: sample?.at ?? null,
      errors: (sample?.errors ?? []).map(redact),
    },
  };
}
