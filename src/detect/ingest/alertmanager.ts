import { z } from 'zod';
import type { IncomingAlert } from '../../incidents/alert.js';
import { toSeverity } from '../../incidents/severity.js';
import { isoTimestamp, parseIsoTimestamp, stringMap } from './fields.js';
import { parseIngest } from './issues.js';

/**
 * Prometheus Alertmanager's webhook payload, version 4 (`webhook_configs` in alertmanager.yml), as
 * documented at prometheus.io/docs/alerting/latest/configuration/#webhook_config and captured from
 * Alertmanager 0.25 in shared/fixtures/alertmanager. Objects are loose: Alertmanager adds fields over
 * time, and a newer one must not be refused for that. The fields Medic reads are required and typed.
 */

/** Go's zero time: what Alertmanager sends as `endsAt` of an alert that is still firing. */
export const GO_ZERO_TIME = '0001-01-01T00:00:00Z';

export const alertmanagerAlert = z.looseObject({
  status: z.enum(['firing', 'resolved']),
  labels: stringMap().refine((l) => typeof l.alertname === 'string' && l.alertname.length > 0, {
    error: 'expected an "alertname" label: it names the alert',
  }),
  annotations: stringMap().optional(),
  startsAt: isoTimestamp(),
  endsAt: isoTimestamp().optional(),
  generatorURL: z.string().optional(),
  fingerprint: z.string().min(1, 'must not be empty'),
});
export type AlertmanagerAlert = z.infer<typeof alertmanagerAlert>;

export const alertmanagerBody = z.looseObject({
  version: z.literal('4', { error: (iss) => `expected "4" (Alertmanager's webhook payload version 4), got ${JSON.stringify(iss.input)}` }),
  groupKey: z.string(),
  /** Alerts Alertmanager left out because of the receiver's `max_alerts`; absent before 0.22. */
  truncatedAlerts: z.number().int().min(0).optional(),
  status: z.enum(['firing', 'resolved']),
  receiver: z.string().optional(),
  groupLabels: stringMap().optional(),
  commonLabels: stringMap().optional(),
  commonAnnotations: stringMap().optional(),
  externalURL: z.string().optional(),
  alerts: z.array(alertmanagerAlert),
});
export type AlertmanagerBody = z.infer<typeof alertmanagerBody>;

export interface NormalizedAlertmanager {
  alerts: IncomingAlert[];
  truncatedAlerts: number;
  groupKey: string;
}

/** Validates an Alertmanager webhook body and normalizes its alerts; throws IngestError naming bad fields. */
export function normalizeAlertmanager(body: unknown): NormalizedAlertmanager {
  const payload = parseIngest(alertmanagerBody, body);
  return {
    alerts: payload.alerts.map((a) => normalizeOne(a, payload.groupKey)),
    truncatedAlerts: payload.truncatedAlerts ?? 0,
    groupKey: payload.groupKey,
  };
}

function normalizeOne(a: AlertmanagerAlert, groupKey: string): IncomingAlert {
  const name = a.labels.alertname!;
  const service = a.labels.service || a.labels.job || null;
  const severity = toSeverity(a.labels.severity);
  const annotations = { ...a.annotations };
  // A firing alert's endsAt is either Go's zero time or the time Alertmanager would let it expire if
  // Prometheus stopped re-sending it: a forecast, not when impact ended. Only a resolved alert has an end.
  const endsAt = a.status === 'resolved' && a.endsAt !== undefined && a.endsAt !== GO_ZERO_TIME ? parseIsoTimestamp(a.endsAt)! : null;
  const alert: IncomingAlert = {
    source: 'alertmanager',
    name,
    fingerprint: a.fingerprint,
    status: a.status,
    service,
    severity,
    // Matchers see the normalized severity (P1–P4) and service whatever words the rule used.
    labels: { ...a.labels, ...(service ? { service } : {}), severity },
    annotations,
    startsAt: parseIsoTimestamp(a.startsAt)!,
    endsAt,
    title: annotations.summary || name,
    groupKey,
  };
  if (annotations.description) alert.description = annotations.description;
  if (a.generatorURL) alert.generatorUrl = a.generatorURL;
  return alert;
}
