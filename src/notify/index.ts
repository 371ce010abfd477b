import type { ChannelConfig, ChannelType } from '../config/index.js';
import { describeError } from '../shared/network-error.js';
import { retryable, type DeliveryResult, type NotificationChannel, type SendContext } from './channel.js';
import { email } from './channels/email.js';
import { msteams } from './channels/msteams.js';
import { pagerduty } from './channels/pagerduty.js';
import { slack } from './channels/slack.js';
import { webhook } from './channels/webhook.js';
import type { NotificationMessage } from './message.js';
import { withSecrets } from './redaction.js';

/** The channel registry: a new channel type is one file in channels/ and one line here. */
export const channels: { [T in ChannelType]: NotificationChannel<Extract<ChannelConfig, { type: T }>> } = {
  slack,
  msteams,
  webhook,
  email,
  pagerduty,
};

/**
 * One delivery attempt of `message` to a channel. Never throws: whatever happens becomes a DeliveryResult
 * the durable delivery can act on. The channel's own secrets are added to the redactor, and the message
 * itself is redacted before it is rendered, so a secret that reached an incident's title or a
 * remediation's output is not sent on.
 */
export async function sendNotification(config: ChannelConfig, message: NotificationMessage, ctx: SendContext): Promise<DeliveryResult> {
  const channel = Object.hasOwn(channels, config.type) ? (channels[config.type] as NotificationChannel<ChannelConfig>) : undefined;
  if (!channel) return { outcome: 'permanent', status: null, reason: `unknown channel type ${JSON.stringify(config.type)}` };
  if (ctx.signal.aborted) return retryable(null, 'delivery aborted');
  let redactor = ctx.redactor;
  let result: DeliveryResult;
  try {
    redactor = withSecrets(ctx.redactor, channel.secrets(config));
    result = await channel.send(config, redactor.redactDeep(message), { ...ctx, redactor });
  } catch (err) {
    // A channel is meant to return failures; a throw is a bug or an unforeseen error, worth another try.
    result = retryable(null, describeError(err));
  }
  return result.outcome === 'ok' ? result : { ...result, reason: redactor.redact(result.reason) };
}

export * from './channel.js';
export * from './message.js';
export * from './routing.js';
export { parseRetryAfter } from './http.js';
