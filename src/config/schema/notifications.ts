import { z } from 'zod';
import { duration } from '../units.js';
import { headers, httpUrl, labelMatchers, name, notifyList, severity } from './common.js';

/** `notifications:` — channels, and `routes:` that pick channels for incidents by service and severity. */

export const NOTIFY_EVENTS = ['opened', 'acknowledged', 'escalated', 'remediation_finished', 'resolved', 'verified', 'degraded', 'paged'] as const;
export type NotifyEvent = (typeof NOTIFY_EVENTS)[number];

const channelCommon = {
  name: name().describe('Channel name that notify: lists refer to, e.g. "#payments-team".'),
  events: z.array(z.enum(NOTIFY_EVENTS)).optional().describe('Incident events this channel hears about (default: all). `paged` is an escalation level naming the channel: it gets those pages whatever this list says.'),
};

export const CHANNEL_TYPES = ['slack', 'msteams', 'webhook', 'email', 'pagerduty'] as const;
export type ChannelType = (typeof CHANNEL_TYPES)[number];

export const channel = z.discriminatedUnion(
  'type',
  [
    z.strictObject({ ...channelCommon, type: z.literal('slack'), webhook_url: httpUrl(), channel: z.string().optional(), username: z.string().optional() }),
    z.strictObject({ ...channelCommon, type: z.literal('msteams'), webhook_url: httpUrl() }),
    z.strictObject({
      ...channelCommon,
      type: z.literal('webhook'),
      url: httpUrl(),
      headers: headers.default({}),
      secret: z.string().min(1).optional().describe('Signs the body: `X-Medic-Signature: sha256=<hex HMAC of the body>`.'),
    }),
    z.strictObject({
      ...channelCommon,
      type: z.literal('email'),
      smtp: z.string().min(1).describe('SMTP server, e.g. "smtp://user:pass@mail.example.com:587" or "smtps://…".'),
      from: z.string().min(3),
      to: z.union([z.string(), z.array(z.string())]).transform((v) => (Array.isArray(v) ? v : [v])),
    }),
    z.strictObject({
      ...channelCommon,
      type: z.literal('pagerduty'),
      routing_key: z.string().min(1),
      url: httpUrl().default('https://events.pagerduty.com/v2/enqueue').describe('Events API endpoint (default PagerDuty\'s).'),
    }),
  ],
  {
    error: (iss) =>
      iss.code === 'invalid_union'
        ? `expected channel type to be one of ${CHANNEL_TYPES.join(', ')}, got ${JSON.stringify((iss.input as { type?: unknown })?.type)}`
        : undefined,
  },
);
export type ChannelConfig = z.infer<typeof channel>;

export const route = z.strictObject({
  match: labelMatchers.default({}).describe('Label matchers on the incident (service, severity, alertname, …).'),
  min_severity: severity.optional().describe('Only incidents at least this severe (P1 is the most severe).'),
  notify: notifyList.describe('Channels for incidents this route matches.'),
  continue: z.boolean().default(false).describe('Keep looking at later routes after this one matched.'),
});
export type RouteConfig = z.infer<typeof route>;

export const delivery = z.strictObject({
  max_attempts: z.number().int().min(1).max(50).default(8).describe('Attempts per notification before it is given up.'),
  backoff: duration().prefault('5s').describe('First retry delay; doubles each attempt.'),
  timeout: duration().prefault('10s').describe('Timeout of one delivery attempt.'),
});
