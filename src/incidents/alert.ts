import type { Severity } from '../config/index.js';

/**
 * An alert as the incident core receives it, whatever sent it: Alertmanager, a generic webhook,
 * PagerDuty Events v2, a failing monitor or an alert rule over check results. Each ingest format
 * normalizes into this shape; nothing downstream knows where an alert came from except by `source`.
 */
export type AlertSource = 'alertmanager' | 'webhook' | 'pagerduty' | 'monitor' | 'rule';
export type AlertStatus = 'firing' | 'resolved' | 'acknowledged';

export interface IncomingAlert {
  source: AlertSource;
  /** The alert name (`labels.alertname` for Alertmanager). */
  name: string;
  /** Dedup key: one open incident per fingerprint. */
  fingerprint: string;
  status: AlertStatus;
  service: string | null;
  severity: Severity;
  /** Includes `alertname`, `service` and `severity` so matchers can use them. */
  labels: Record<string, string>;
  annotations: Record<string, string>;
  /** When impact began (Alertmanager's startsAt); becomes the incident's started_at. UTC ms. */
  startsAt: number;
  endsAt: number | null;
  /** One line for people: the summary annotation, or the name. */
  title: string;
  description?: string;
  generatorUrl?: string;
  groupKey?: string;
  /** Channels the monitor or alert rule behind this alert names (`notify:`), on top of routes. */
  notify?: string[];
}
