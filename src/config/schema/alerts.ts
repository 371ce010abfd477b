import { z } from 'zod';
import { duration } from '../units.js';
import { condition, labels, name, notifyList, severity } from './common.js';

/**
 * `alerts:` — alert definitions. They feed the coverage report, and Medic evaluates a `condition` over
 * the service's check results (availability, latency, error_rate) to open incidents like any alert.
 */

export const ALERT_TYPES = ['availability', 'latency', 'error_rate', 'dependency'] as const;
export type AlertType = (typeof ALERT_TYPES)[number];

export const alertRule = z.strictObject({
  name: name().describe('Alert name (runbooks and remediation rules match it).'),
  service: z.string().min(1).describe('Service the alert covers.'),
  type: z.enum(ALERT_TYPES).describe('Failure mode it covers (for the coverage report).'),
  severity: severity.default('P2'),
  description: z.string().optional(),
  condition: condition().optional().describe('e.g. "error_rate > 5%", "p95_ms > 1000", "availability < 99%".'),
  for: duration().prefault('0ms').describe('The condition must hold this long before the alert fires.'),
  evaluation_interval: duration().prefault('30s').describe('How often the condition is evaluated (also used for worst-case time to detect).'),
  window: duration().prefault('5m').describe('Window of check results the condition is computed over.'),
  monitors: z.array(z.string()).optional().describe('Monitors whose results feed the condition (default: every monitor of the service).'),
  source: z.enum(['medic', 'prometheus', 'external']).default('medic').describe('Where this alert is defined if not in Medic (e.g. a Prometheus rule); documentation only.'),
  labels: labels.default({}),
  notify: notifyList.optional(),
});
export type AlertRuleConfig = z.infer<typeof alertRule>;
