import { z } from 'zod';
import { duration, percentage } from '../units.js';
import { labels, name } from './common.js';

/** `services:` — what Medic protects, what each depends on, and how to undo its last change. */

export const serviceMetrics = z.strictObject({
  error_rate: z.string().min(1).optional().describe('PromQL giving the error rate as a fraction (errors / requests).'),
  latency_p95_ms: z.string().min(1).optional().describe('PromQL giving p95 latency in milliseconds.'),
  throughput: z.string().min(1).optional().describe('PromQL giving requests per second.'),
});

/** Recovery verification thresholds (`verification:`), also settable per service. */
export const verificationFields = {
  window: duration().prefault('5m').describe('How long to watch for recovery before giving up.'),
  interval: duration().prefault('30s').describe('How often to evaluate.'),
  max_error_rate: percentage().prefault('1%').describe('Healthy means the error rate is under this...'),
  max_latency_p95: duration().prefault('500ms').describe('...and p95 latency under this.'),
  stable_for: duration().optional().describe('...for this long (default: one evaluation).'),
};
export const verification = z.strictObject(verificationFields);
/**
 * A service's overrides: only the keys it sets replace the top-level `verification:` values, so these
 * carry no defaults of their own (a default here would silently override the top level).
 */
export const verificationOverride = z.strictObject({
  window: duration().optional().describe('How long to watch for recovery (default: verification.window).'),
  interval: duration().optional().describe('How often to evaluate (default: verification.interval).'),
  max_error_rate: percentage().optional().describe('Error rate bound (default: verification.max_error_rate).'),
  max_latency_p95: duration().optional().describe('p95 latency bound (default: verification.max_latency_p95).'),
  stable_for: duration().optional().describe('How long to stay healthy (default: verification.stable_for).'),
});
export type VerificationOverride = z.infer<typeof verificationOverride>;
export type VerificationConfig = z.infer<typeof verification>;

export const service = z.strictObject({
  name: name().describe('Unique service name; incidents, monitors and rules refer to it.'),
  owner: z.string().optional().describe('Team that owns it.'),
  description: z.string().optional(),
  depends_on: z.array(z.string().min(1)).default([]).describe('Services this one needs; an alert here joins an open incident of a dependency as a symptom.'),
  rollback: z.string().min(1).optional().describe('Shell command that rolls the service back to its previous version.'),
  metrics: serviceMetrics.optional().describe('PromQL queries Medic reads for verification and the command center (needs prometheus.url).'),
  verification: verificationOverride.optional().describe('Overrides of the top-level verification thresholds for this service.'),
  labels: labels.default({}).describe('Labels added to every incident of this service.'),
  escalation: z.string().trim().min(1).optional().describe('Escalation policy (oncall.escalation_policies[].name) that pages people for its incidents.'),
  links: z.record(z.string(), z.string()).default({}).describe('Link to the service\'s dashboard, repo or runbook wiki, shown on its incidents.'),
});
export type ServiceConfig = z.infer<typeof service>;
