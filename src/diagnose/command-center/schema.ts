import { z } from 'zod';
import { flagChangeFields } from '../../resolve/flags/records.js';
import { deploymentSchema } from '../deployments/deployments.js';

/**
 * The command center's answer: everything a responder looks at first, already aggregated and bounded
 * (tiles, the worst services, the latest changes, what is on fire). The one definition of its shape:
 * the API documents and checks its answer with it, and `medic dashboard --server` reads it back with it.
 */

/** A measure over the current window and the window before it (null: nothing measured). */
export const windowedValue = z.object({ value: z.number().nullable(), previous: z.number().nullable() });
export type WindowedValue = z.infer<typeof windowedValue>;

export const metricSource = z.enum(['checks', 'prometheus']);
export type MetricSource = z.infer<typeof metricSource>;

const tile = windowedValue.extend({
  source: metricSource,
  /** What the figure is taken over, for people: "10,000 monitors", "3 services", "slowest: payment". */
  basis: z.string(),
});
export type Tile = z.infer<typeof tile>;

const serviceRate = z.object({
  /** null: monitors that name no service. */
  service: z.string().nullable(),
  errorRate: windowedValue,
  source: metricSource,
  /** Check runs in the current window (checks only). */
  runs: z.number().nullable(),
  failed: z.number().nullable(),
});
export type ServiceRate = z.infer<typeof serviceRate>;

const deployment = deploymentSchema.omit({ metadata: true }).extend({
  /** Active incidents this deployment is the last change before. */
  justBefore: z.array(z.number()),
});
export type CommandCenterDeployment = z.infer<typeof deployment>;

const flagChange = flagChangeFields.extend({
  /** The state after the change (null: the flag was removed). */
  enabled: z.boolean().nullable(),
  rollout: z.number().nullable(),
});
export type CommandCenterFlagChange = z.infer<typeof flagChange>;

const suspect = z.object({
  deploymentId: z.number(),
  service: z.string(),
  version: z.string(),
  deployedAt: z.number(),
  /** Minutes between the deployment and the incident's start. */
  minutesBefore: z.number(),
});

const incident = z.object({
  id: z.number(),
  title: z.string(),
  service: z.string().nullable(),
  severity: z.string(),
  status: z.string(),
  startedAt: z.number().nullable(),
  detectedAt: z.number().nullable(),
  acknowledgedAt: z.number().nullable(),
  /** The deployment that came just before it (of its service or one it depends on), if any. */
  deploymentBefore: suspect.nullable(),
});
export type CommandCenterIncident = z.infer<typeof incident>;

const alert = z.object({
  fingerprint: z.string(),
  name: z.string(),
  service: z.string().nullable(),
  severity: z.string(),
  startsAt: z.number(),
  incidentId: z.number().nullable(),
});
export type CommandCenterAlert = z.infer<typeof alert>;

const approval = z.object({
  attemptId: z.number(),
  incidentId: z.number(),
  rule: z.string(),
  actionType: z.string(),
  requestedAt: z.number(),
  expiresAt: z.number().nullable(),
});
export type CommandCenterApproval = z.infer<typeof approval>;

export const MONITOR_STATUSES = ['up', 'degraded', 'down', 'pending', 'paused'] as const;

const unhealthyMonitor = z.object({
  id: z.number(),
  name: z.string(),
  service: z.string().nullable(),
  type: z.string(),
  status: z.enum(['down', 'degraded']),
  lastRunAt: z.number().nullable(),
  incidentId: z.number().nullable(),
  /** The latest run's error. */
  error: z.string().nullable(),
});
export type UnhealthyMonitor = z.infer<typeof unhealthyMonitor>;

/** A bounded list and how many there are in all. */
const listOf = <T extends z.ZodType>(item: T) => z.object({ total: z.number(), items: z.array(item) });

export const commandCenterSchema = z.object({
  generatedAt: z.number(),
  window: z.object({ ms: z.number(), start: z.number(), end: z.number(), previousStart: z.number() }),
  tiles: z.object({
    errorRate: tile.describe('fraction of failed requests (Prometheus) or failed check runs'),
    latencyP95Ms: tile.describe('p95 latency in ms'),
    throughputPerMinute: tile.describe('requests (Prometheus) or check runs per minute'),
  }),
  services: listOf(serviceRate).describe('error rate by service, worst first'),
  deployments: z.array(deployment).describe('newest first'),
  flagChanges: z.array(flagChange).describe('newest first'),
  incidents: listOf(incident).describe('active incidents, most severe first'),
  alerts: listOf(alert).describe('firing alerts, most severe first'),
  approvals: listOf(approval).describe('remediation attempts waiting for a person'),
  monitors: z.object({
    total: z.number(),
    counts: z.object(Object.fromEntries(MONITOR_STATUSES.map((s) => [s, z.number()])) as Record<(typeof MONITOR_STATUSES)[number], z.ZodNumber>),
    unhealthy: listOf(unhealthyMonitor).describe('down first, then degraded'),
  }),
  prometheus: z.object({
    configured: z.boolean(),
    /** Services whose `metrics:` Medic reads. */
    services: z.number(),
    sampledAt: z.number().nullable(),
    errors: z.array(z.string()),
  }),
});
export type CommandCenter = z.infer<typeof commandCenterSchema>;
