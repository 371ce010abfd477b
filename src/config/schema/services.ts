import { z } from 'zod';
import { duration, percentage } from '../units.js';
import { labels, name } from './common.js';

/** `services:` — what Medic protects, what each depends on, and how to undo its last change. */

export const serviceMetrics = z.strictObject({
  /** PromQL giving the error rate as a fraction (errors / requests). */
  error_rate: z.string().min(1).optional(),
  /** PromQL giving p95 latency in milliseconds. */
  latency_p95_ms: z.string().min(1).optional(),
  /** PromQL giving requests per second. */
  throughput: z.string().min(1).optional(),
});

/** Recovery verification thresholds (`verification:`), also settable per service. */
export const verificationFields = {
  /** How long to watch for recovery before giving up. */
  window: duration().default(300_000),
  /** How often to evaluate. */
  interval: duration().default(30_000),
  /** Healthy means the error rate is under this... */
  max_error_rate: percentage().default(0.01),
  /** ...and p95 latency under this. */
  max_latency_p95: duration().default(500),
  /** ...for this long (default: one evaluation). */
  stable_for: duration().optional(),
};
export const verification = z.strictObject(verificationFields);
export const verificationOverride = z.strictObject({
  window: verificationFields.window.optional(),
  interval: verificationFields.interval.optional(),
  max_error_rate: verificationFields.max_error_rate.optional(),
  max_latency_p95: verificationFields.max_latency_p95.optional(),
  stable_for: verificationFields.stable_for,
});
export type VerificationConfig = z.infer<typeof verification>;

export const service = z.strictObject({
  name: name(),
  owner: z.string().optional(),
  description: z.string().optional(),
  /** Services this one needs; an alert here joins an open incident of a dependency as a symptom. */
  depends_on: z.array(z.string().min(1)).default([]),
  /** Shell command that rolls the service back to its previous version. */
  rollback: z.string().min(1).optional(),
  metrics: serviceMetrics.optional(),
  verification: verificationOverride.optional(),
  labels: labels.default({}),
  /** Link to the service's dashboard, repo or runbook wiki, shown on its incidents. */
  links: z.record(z.string(), z.string()).default({}),
});
export type ServiceConfig = z.infer<typeof service>;
