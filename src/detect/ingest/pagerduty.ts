import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import type { AlertStatus, IncomingAlert } from '../../incidents/alert.js';
import { toSeverity } from '../../incidents/severity.js';
import { systemClock, type Clock } from '../../shared/clock.js';
import { stringifyBounded } from '../../shared/json.js';
import { isoTimestamp, parseIsoTimestamp } from './fields.js';
import { parseIngest, type IngestError } from './issues.js';

/**
 * PagerDuty's Events API v2 (`POST /v2/enqueue`), so any tool that can page PagerDuty can open Medic
 * incidents by pointing its endpoint at `/api/alerts/pagerduty/v2/enqueue`. Shape as documented at
 * developer.pagerduty.com/docs/events-api-v2/trigger-events. Objects are loose (PagerDuty ignores fields it
 * does not know, and senders rely on that), but the fields the API requires are required here.
 */

export const PAGERDUTY_ACTIONS = ['trigger', 'acknowledge', 'resolve'] as const;
export const PAGERDUTY_SEVERITIES = ['critical', 'error', 'warning', 'info'] as const;

export const pagerDutyPayload = z.looseObject({
  summary: z.string().min(1, 'must not be empty').max(1024),
  source: z.string().min(1, 'must not be empty').max(255),
  severity: z.enum(PAGERDUTY_SEVERITIES),
  timestamp: isoTimestamp().optional(),
  component: z.string().optional(),
  group: z.string().optional(),
  class: z.string().optional(),
  custom_details: z.unknown().optional(),
});

export const pagerDutyEvent = z
  .looseObject({
    routing_key: z.string().min(1, 'must not be empty'),
    event_action: z.enum(PAGERDUTY_ACTIONS),
    dedup_key: z.string().min(1, 'must not be empty').max(255).optional(),
    payload: pagerDutyPayload.optional(),
    client: z.string().optional(),
    client_url: z.string().optional(),
    links: z.array(z.looseObject({ href: z.string(), text: z.string().optional() })).optional(),
    images: z.array(z.looseObject({ src: z.string(), href: z.string().optional(), alt: z.string().optional() })).optional(),
  })
  .superRefine((event, ctx) => {
    if (event.event_action === 'trigger' && event.payload === undefined) {
      ctx.addIssue({ code: 'custom', path: ['payload'], message: 'required field missing for event_action "trigger" (expected object with summary, source, severity)' });
    }
    if (event.event_action !== 'trigger' && event.dedup_key === undefined) {
      ctx.addIssue({ code: 'custom', path: ['dedup_key'], message: `required field missing for event_action ${JSON.stringify(event.event_action)}: it names the alert to ${event.event_action}` });
    }
  });
export type PagerDutyEvent = z.infer<typeof pagerDutyEvent>;

/** What PagerDuty answers, with HTTP 202, and what Medic answers the same way. */
export const pagerDutyResponse = z.object({
  status: z.literal('success'),
  message: z.string(),
  dedup_key: z.string(),
});
export type PagerDutyResponse = z.infer<typeof pagerDutyResponse>;

/** PagerDuty's answer to an invalid event, with HTTP 400. */
export const pagerDutyErrorResponse = z.object({
  status: z.literal('invalid event'),
  message: z.string(),
  errors: z.array(z.string()),
});
export type PagerDutyErrorResponse = z.infer<typeof pagerDutyErrorResponse>;

export function pagerDutyError(error: IngestError): PagerDutyErrorResponse {
  return { status: 'invalid event', message: 'Event object is invalid', errors: error.issues.map((i) => `${i.path || 'body'}: ${i.message}`) };
}

export interface NormalizedPagerDuty {
  alert: IncomingAlert;
  dedupKey: string;
  /** The sender's routing key, for the route to check; a secret, so never copied into the alert. */
  routingKey: string;
  response: PagerDutyResponse;
}

const STATUS: Record<PagerDutyEvent['event_action'], AlertStatus> = { trigger: 'firing', acknowledge: 'acknowledged', resolve: 'resolved' };

/**
 * Validates an Events v2 body and normalizes it; throws IngestError naming bad fields. A trigger without
 * a dedup_key gets a new one, like PagerDuty does, returned in `response` so the sender can resolve later.
 */
export function normalizePagerDuty(body: unknown, options: { clock?: Clock; newDedupKey?: () => string } = {}): NormalizedPagerDuty {
  const event = parseIngest(pagerDutyEvent, body);
  const now = (options.clock ?? systemClock).now();
  const dedupKey = event.dedup_key ?? (options.newDedupKey ?? (() => randomUUID().replaceAll('-', '')))();
  const p = event.payload;
  const status = STATUS[event.event_action];
  // acknowledge and resolve usually carry no payload: the alert is known by its dedup_key alone.
  const name = p?.summary || p?.class || dedupKey;
  const service = p?.source || p?.component || null;
  const severity = toSeverity(p?.severity);
  const labels: Record<string, string> = { alertname: name, ...(service ? { service } : {}), severity };
  for (const key of ['component', 'group', 'class'] as const) if (p?.[key]) labels[key] = p[key];
  const alert: IncomingAlert = {
    source: 'pagerduty',
    name,
    fingerprint: dedupKey,
    status,
    service,
    severity,
    labels,
    annotations: p ? { summary: p.summary } : {},
    startsAt: p?.timestamp ? parseIsoTimestamp(p.timestamp)! : now,
    endsAt: status === 'resolved' ? now : null,
    title: p?.summary ?? name,
  };
  if (p?.custom_details !== undefined) {
    const details = typeof p.custom_details === 'string' ? p.custom_details : stringifyBounded(p.custom_details, 2);
    alert.description = details;
    alert.annotations.description = details;
  }
  if (event.client_url) alert.generatorUrl = event.client_url;
  return { alert, dedupKey, routingKey: event.routing_key, response: { status: 'success', message: 'Event processed', dedup_key: dedupKey } };
}
