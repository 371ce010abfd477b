import { createHash } from 'node:crypto';
import { z } from 'zod';
import type { Severity } from '../../config/index.js';
import type { IncomingAlert } from '../../incidents/alert.js';
import { toSeverity } from '../../incidents/severity.js';
import { systemClock, type Clock } from '../../shared/clock.js';
import { isoTimestamp, parseIsoTimestamp, strictObjectWithHints } from './fields.js';
import { parseIngest } from './issues.js';

/**
 * Medic's own alert format (`POST /api/alerts/webhook`), for anything that can send JSON: one alert object
 * or an array of them.
 *
 *   { "name": "disk-full", "service": "db", "severity": "critical", "labels": { "host": "db-1" } }
 *
 * Strict, unlike Alertmanager's: this is a format people write by hand, and a misspelt key silently
 * ignored is an alert routed wrong.
 */

export const MAX_WEBHOOK_ALERTS = 1000;

export const WEBHOOK_SEVERITIES = ['P1', 'P2', 'P3', 'P4', 'critical', 'error', 'warning', 'info'] as const;

// Their count and lengths are bounded for every source alike when the alert is ingested (incidents/limits.ts).
const webhookLabels = z.record(z.string().min(1, 'label names must not be empty'), z.string());

export const webhookAlert = strictObjectWithHints({
  name: z.string().min(1, 'must not be empty').max(256),
  service: z.string().min(1, 'must not be empty').max(256).optional(),
  severity: z
    .enum(WEBHOOK_SEVERITIES, { error: (iss) => `expected one of ${WEBHOOK_SEVERITIES.join(', ')}, got ${JSON.stringify(iss.input)}` })
    .optional()
    .describe('P1–P4, or critical / error / warning / info (P1–P4); default P3'),
  status: z.enum(['firing', 'resolved']).optional().describe('default firing'),
  labels: webhookLabels.optional(),
  started_at: isoTimestamp().optional().describe('when impact began; default the time the alert is received'),
  /** One line for people; default the name. */
  title: z.string().min(1).max(1024).optional(),
  description: z.string().max(10_000).optional(),
  fingerprint: z.string().min(1, 'must not be empty').max(256).optional().describe('dedup key; default a hash of name, service and labels'),
});
export type WebhookAlert = z.infer<typeof webhookAlert>;

export const webhookBody = z.union([
  webhookAlert,
  z
    .array(webhookAlert)
    .min(1, 'expected at least one alert')
    .max(MAX_WEBHOOK_ALERTS, `at most ${MAX_WEBHOOK_ALERTS} alerts per request`),
], { error: 'expected an alert object or an array of alert objects' });
export type WebhookBody = z.infer<typeof webhookBody>;

/**
 * The default fingerprint: one open incident per (name, service, labels), whatever the severity, status or
 * time. Recipe (stable across releases; senders may reproduce it):
 *
 *   sha256( JSON.stringify([ name, service ?? null, [[key, value], …] ]) ), hex, first 32 characters
 *
 * where the pairs are the labels as sent (before Medic adds alertname/service/severity), sorted by key
 * in UTF-16 code unit order (JavaScript's default sort).
 */
export function webhookFingerprint(name: string, service: string | undefined | null, labels: Record<string, string> = {}): string {
  const pairs = Object.keys(labels)
    .sort()
    .map((k) => [k, labels[k]]);
  return createHash('sha256')
    .update(JSON.stringify([name, service ?? null, pairs]))
    .digest('hex')
    .slice(0, 32);
}

export interface NormalizedWebhook {
  alerts: IncomingAlert[];
}

/** Validates a webhook body and normalizes its alerts; throws IngestError naming bad fields. */
export function normalizeWebhook(body: unknown, options: { clock?: Clock } = {}): NormalizedWebhook {
  const parsed = parseIngest(webhookBody, body);
  const now = (options.clock ?? systemClock).now();
  const list = Array.isArray(parsed) ? parsed : [parsed];
  return { alerts: list.map((a) => normalizeOne(a, now)) };
}

function normalizeOne(a: WebhookAlert, now: number): IncomingAlert {
  const severity: Severity = toSeverity(a.severity);
  const status = a.status ?? 'firing';
  const service = a.service ?? a.labels?.service ?? null;
  const alert: IncomingAlert = {
    source: 'webhook',
    name: a.name,
    fingerprint: a.fingerprint ?? webhookFingerprint(a.name, a.service, a.labels),
    status,
    service,
    severity,
    labels: { ...a.labels, alertname: a.name, ...(service ? { service } : {}), severity },
    annotations: {},
    startsAt: a.started_at === undefined ? now : parseIsoTimestamp(a.started_at)!,
    // The format has no end time: a resolved alert ended when Medic heard about it.
    endsAt: status === 'resolved' ? now : null,
    title: a.title ?? a.name,
  };
  if (a.title) alert.annotations.summary = a.title;
  if (a.description !== undefined) {
    alert.description = a.description;
    alert.annotations.description = a.description;
  }
  return alert;
}
