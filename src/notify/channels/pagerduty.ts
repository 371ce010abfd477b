import type { ChannelConfig, NotifyEvent, Severity } from '../../config/index.js';
import { delivered, type NotificationChannel } from '../channel.js';
import { postJson } from '../http.js';
import type { NotificationMessage } from '../message.js';
import { urlSecrets } from '../redaction.js';
import { medicHeaders } from '../render.js';

/**
 * PagerDuty Events API v2 (developer.pagerduty.com/docs/events-api-v2/overview): one PagerDuty alert per
 * Medic incident, keyed `medic-incident-<id>`, triggered when the incident opens or escalates,
 * acknowledged and resolved with it. Other events have no PagerDuty counterpart and are skipped.
 */

type PagerDutyConfig = Extract<ChannelConfig, { type: 'pagerduty' }>;

const ACTIONS: Partial<Record<NotifyEvent, 'trigger' | 'acknowledge' | 'resolve'>> = {
  opened: 'trigger',
  escalated: 'trigger',
  paged: 'trigger',
  acknowledged: 'acknowledge',
  resolved: 'resolve',
  verified: 'resolve',
};

const SEVERITY: Record<Severity, 'critical' | 'error' | 'warning' | 'info'> = { P1: 'critical', P2: 'error', P3: 'warning', P4: 'info' };

export const pagerDutyDedupKey = (incidentId: number) => `medic-incident-${incidentId}`;

export function pagerDutyBody(config: PagerDutyConfig, message: NotificationMessage): Record<string, unknown> | undefined {
  const action = ACTIONS[message.event];
  if (!action) return undefined;
  const i = message.incident;
  const body: Record<string, unknown> = { routing_key: config.routing_key, event_action: action, dedup_key: pagerDutyDedupKey(i.id) };
  // acknowledge and resolve need only the key; PagerDuty ignores a payload there.
  if (action === 'trigger') {
    const details: Record<string, unknown> = { incident_id: i.id, status: i.status, event: message.event, text: message.text, labels: i.labels };
    if (i.cause) details.cause = i.cause;
    if (message.lastTime) details.last_time = message.lastTime;
    if (message.details?.length) details.details = message.details;
    if (i.url) details.url = i.url;
    body.payload = {
      summary: i.title.slice(0, 1024),
      source: i.service ?? 'medic',
      severity: SEVERITY[i.severity],
      timestamp: new Date(i.startedAt).toISOString(),
      ...(i.service ? { component: i.service } : {}),
      ...(i.labels.alertname ? { class: i.labels.alertname } : {}),
      custom_details: details,
    };
    body.client = 'Medic';
    if (i.url) {
      body.client_url = i.url;
      body.links = [{ href: i.url, text: `Medic incident #${i.id}` }];
    }
  }
  return body;
}

export const pagerduty: NotificationChannel<PagerDutyConfig> = {
  type: 'pagerduty',
  secrets: (config) => [config.routing_key, ...urlSecrets(config.url)],
  async send(config, message, ctx) {
    const body = pagerDutyBody(config, message);
    if (!body) return delivered(null, { skipped: true });
    const answer = await postJson(config.url, JSON.stringify(body), medicHeaders(message), ctx);
    if (answer.result.outcome !== 'ok') return answer.result;
    let reference = body.dedup_key as string;
    try {
      const parsed = JSON.parse(answer.body) as { dedup_key?: unknown };
      if (typeof parsed.dedup_key === 'string') reference = parsed.dedup_key;
    } catch {}
    return { ...answer.result, reference };
  },
};
