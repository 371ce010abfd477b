import type { ChannelConfig } from '../../config/index.js';
import type { NotificationChannel } from '../channel.js';
import { postJson } from '../http.js';
import type { NotificationMessage } from '../message.js';
import { urlSecrets } from '../redaction.js';
import { contextLine, facts, headline, truncate } from '../render.js';

/** Slack incoming webhook: a Block Kit message (api.slack.com/messaging/webhooks, /reference/block-kit). */

type SlackConfig = Extract<ChannelConfig, { type: 'slack' }>;

/** mrkdwn treats &, < and > as control characters (links, mentions). */
const escape = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

export function slackBody(config: SlackConfig, message: NotificationMessage): Record<string, unknown> {
  const i = message.incident;
  const startedSeconds = Math.floor(i.startedAt / 1000);
  const fields = facts(message)
    .filter(([k]) => k !== 'Severity' && k !== 'Cause')
    .map(([k, v]) => ({
      type: 'mrkdwn',
      // Slack shows the date in each reader's time zone; the text after | is the fallback.
      text: k === 'Started' ? `*${k}*\n<!date^${startedSeconds}^{date_short_pretty} {time}|${escape(v)}>` : `*${k}*\n${truncate(escape(v), 1900)}`,
    }));
  const blocks: Record<string, unknown>[] = [
    // Header text is plain_text, at most 150 characters.
    { type: 'header', text: { type: 'plain_text', text: truncate(headline(message), 150), emoji: true } },
    { type: 'section', text: { type: 'mrkdwn', text: truncate(escape(message.text), 3000) }, fields },
  ];
  const more = [...(i.cause ? [`*Cause:* ${escape(i.cause)}`] : []), ...(message.details ?? []).map(escape)];
  if (more.length > 0) blocks.push({ type: 'section', text: { type: 'mrkdwn', text: truncate(more.join('\n'), 3000) } });
  blocks.push({ type: 'context', elements: [{ type: 'mrkdwn', text: escape(contextLine(message)) }] });
  if (i.url) {
    blocks.push({
      type: 'actions',
      elements: [{ type: 'button', action_id: 'medic_open_incident', text: { type: 'plain_text', text: 'Open incident' }, url: i.url, ...(message.event === 'opened' || message.event === 'escalated' ? { style: 'danger' } : {}) }],
    });
  }
  return {
    // The top-level text is what notifications and screen readers show.
    text: message.text,
    blocks,
    ...(config.channel ? { channel: config.channel } : {}),
    ...(config.username ? { username: config.username } : {}),
  };
}

export const slack: NotificationChannel<SlackConfig> = {
  type: 'slack',
  secrets: (config) => urlSecrets(config.webhook_url),
  async send(config, message, ctx) {
    const { result } = await postJson(config.webhook_url, JSON.stringify(slackBody(config, message)), {}, ctx);
    return result;
  },
};
