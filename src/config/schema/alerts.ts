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
  name: name(),
  service: z.string().min(1),
  type: z.enum(ALERT_TYPES),
  severity: severity.default('P2'),
  description: z.string().optional(),
  /** e.g. "error_rate > 5%", "p95_ms > 1000", "availability < 99%". */
  condition: condition().optional(),
  /** The condition must hold this long before the alert fires. */
  for: duration().default(0),
  /** How often the condition is evaluated (also used for worst-case time to detect). */
  evaluation_interval: duration().default(30_000),
  /** Window of check results the condition is computed over. */
  window: duration().default(300_000),
  /** Monitors whose results feed the condition (default: every monitor of the service). */
  monitors: z.array(z.string()).optional(),
  /** Where this alert is defined if not in Medic (e.g. a Prometheus rule); documentation only. */
  source: z.enum(['medic', 'prometheus', 'external']).default('medic'),
  labels: labels.default({}),
  notify: notifyList.optional(),
});
export type AlertRuleConfig = z.infer<typeof alertRule>;
