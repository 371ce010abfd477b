import type { ChannelConfig } from '../../config/index.js';
import type { NotificationChannel } from '../channel.js';
import { postJson } from '../http.js';
import type { NotificationMessage } from '../message.js';
import { urlSecrets } from '../redaction.js';
import { contextLine, facts, headline } from '../render.js';

/** Slack incoming webhook: a Block Kit message (api.slack.com/messaging/webhooks, /reference/block-kit). */

type SlackConfig = Extract<ChannelConfig, { type: 'slack' }>;

/**
 * Slack reads &, < and > as control characters in every text it shows, the fallback `text` and
 * plain_text included: `<!channel>` in an alert title would ping the whole channel. So the message is
 * escaped here, once and whole, before any markup of ours (`*bold*`, `<!date…>`) is added around it;
 * nothing below builds text from the unescaped message.
 */
export function escapeSlack(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

function escapeMessage(message: NotificationMessage): NotificationMessage {
  const escaped = escapeStrings(message) as NotificationMessage;
  // Except the incident's link: it goes in a button's `url`, which is an address, not text.
  if (message.incident.url !== undefined) escaped.incident.url = message.incident.url;
  return escaped;
}

function escapeStrings(value: unknown): unknown {
  if (typeof value === 'string') return escapeSlack(value);
  if (Array.isArray(value)) return value.map(escapeStrings);
  if (value && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, escapeStrings(v)]));
  return value;
}

/** Cuts escaped text to Slack's limit without leaving half an entity (`&am…`) at the cut. */
function cut(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max - 1).replace(/&[a-z]{0,3}$/, '')}…`;
}

export function slackBody(config: SlackConfig, original: NotificationMessage): Record<string, unknown> {
  const message = escapeMessage(original);
  const i = message.incident;
  const startedSeconds = Math.floor(i.startedAt / 1000);
  const fields = facts(message)
    .filter(([k]) => k !== 'Severity' && k !== 'Cause')
    .map(([k, v]) => ({
      type: 'mrkdwn',
      // Slack shows the date in each reader's time zone; the text after | is the fallback.
      text: k === 'Started' ? `*${k}*\n<!date^${startedSeconds}^{date_short_pretty} {time}|${v}>` : `*${k}*\n${cut(v, 1900)}`,
    }));
  const blocks: Record<string, unknown>[] = [
    // Header text is plain_text, at most 150 characters.
    { type: 'header', text: { type: 'plain_text', text: cut(headline(message), 150), emoji: true } },
    { type: 'section', text: { type: 'mrkdwn', text: cut(message.lastTime ? `${message.text}\n${message.lastTime}` : message.text, 3000) }, fields },
  ];
  const more = [...(i.cause ? [`*Cause:* ${i.cause}`] : []), ...(message.details ?? [])];
  if (more.length > 0) blocks.push({ type: 'section', text: { type: 'mrkdwn', text: cut(more.join('\n'), 3000) } });
  blocks.push({ type: 'context', elements: [{ type: 'mrkdwn', text: contextLine(message) }] });
  if (i.url) {
    blocks.push({
      type: 'actions',
      elements: [{ type: 'button', action_id: 'medic_open_incident', text: { type: 'plain_text', text: 'Open incident' }, url: i.url, ...(message.event === 'opened' || message.event === 'escalated' ? { style: 'danger' } : {}) }],
    });
  }
  return {
    // The top-level text is what notifications and screen readers show (and where Slack parses mentions too).
    text: message.text,
    blocks,
    ...(config.channel ? { channel: config.channel } : {}),
    ...(config.username ? { username: escapeSlack(config.username) } : {}),
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
