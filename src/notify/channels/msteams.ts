import type { ChannelConfig, Severity } from '../../config/index.js';
import type { NotificationChannel } from '../channel.js';
import { postJson } from '../http.js';
import type { NotificationMessage } from '../message.js';
import { urlSecrets } from '../redaction.js';
import { contextLine, facts, headline } from '../render.js';

/**
 * Microsoft Teams: an Adaptive Card in the `message` envelope, which both Teams workflow webhooks
 * ("Post to a channel when a webhook request is received") and the older incoming webhooks accept
 * (learn.microsoft.com/microsoftteams/platform/webhooks-and-connectors/how-to/connectors-using).
 */

type TeamsConfig = Extract<ChannelConfig, { type: 'msteams' }>;

const CONTAINER_STYLE: Record<Severity, string> = { P1: 'attention', P2: 'warning', P3: 'emphasis', P4: 'default' };

export function teamsBody(message: NotificationMessage): Record<string, unknown> {
  const i = message.incident;
  const resolvedLike = message.event === 'resolved' || message.event === 'verified';
  const body: Record<string, unknown>[] = [
    {
      type: 'Container',
      style: resolvedLike ? 'good' : CONTAINER_STYLE[i.severity],
      bleed: true,
      items: [{ type: 'TextBlock', text: headline(message), size: 'Large', weight: 'Bolder', wrap: true }],
    },
    { type: 'TextBlock', text: message.text, wrap: true },
    ...(message.lastTime ? [{ type: 'TextBlock', text: message.lastTime, wrap: true, spacing: 'Small' }] : []),
    { type: 'FactSet', facts: facts(message).map(([title, value]) => ({ title, value })) },
  ];
  for (const line of message.details ?? []) body.push({ type: 'TextBlock', text: line, wrap: true, spacing: 'Small' });
  body.push({ type: 'TextBlock', text: contextLine(message), isSubtle: true, size: 'Small', wrap: true });
  const card: Record<string, unknown> = {
    $schema: 'http://adaptivecards.io/schemas/adaptive-card.json',
    type: 'AdaptiveCard',
    version: '1.4',
    body,
    msteams: { width: 'Full' },
  };
  if (i.url) card.actions = [{ type: 'Action.OpenUrl', title: 'Open incident', url: i.url }];
  return {
    type: 'message',
    summary: message.text,
    attachments: [{ contentType: 'application/vnd.microsoft.card.adaptive', contentUrl: null, content: card }],
  };
}

export const msteams: NotificationChannel<TeamsConfig> = {
  type: 'msteams',
  secrets: (config) => urlSecrets(config.webhook_url),
  async send(config, message, ctx) {
    const { result } = await postJson(config.webhook_url, JSON.stringify(teamsBody(message)), {}, ctx);
    return result;
  },
};
