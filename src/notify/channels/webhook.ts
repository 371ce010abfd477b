import { createHmac } from 'node:crypto';
import type { ChannelConfig } from '../../config/index.js';
import type { NotificationChannel } from '../channel.js';
import { postJson } from '../http.js';
import type { NotificationMessage } from '../message.js';
import { urlSecrets } from '../redaction.js';
import { medicHeaders } from '../render.js';

/**
 * A generic JSON webhook: the message as it is, plus headers a receiver can verify and dedup on.
 *
 *   X-Medic-Event: opened
 *   X-Medic-Delivery: <idempotency key, the same on every retry>
 *   X-Medic-Signature: sha256=<hex HMAC-SHA256 of the exact body bytes, keyed with the channel's secret>
 */

type WebhookConfig = Extract<ChannelConfig, { type: 'webhook' }>;

/** Version of the body's shape, so receivers can tell when it changes. */
export const WEBHOOK_BODY_VERSION = 1;

export function webhookBody(message: NotificationMessage): string {
  return JSON.stringify({ version: WEBHOOK_BODY_VERSION, ...message });
}

/**
 * Values of configured headers that carry credentials (Authorization: Bearer …, X-Api-Key). Not every
 * header: redacting "payments" of `X-Team: payments` would blank that word out of every message.
 */
function credentialHeaders(headers: Record<string, string>): string[] {
  const out: string[] = [];
  for (const [name, value] of Object.entries(headers)) {
    if (!/auth|token|key|secret|password|cookie|signature|credential/i.test(name)) continue;
    out.push(value);
    // "Bearer abc…": the credential alone may be quoted too.
    const scheme = /^\S+\s+(\S+)$/.exec(value);
    if (scheme) out.push(scheme[1]!);
  }
  return out;
}

export function sign(body: string | Buffer, secret: string): string {
  return `sha256=${createHmac('sha256', secret).update(body).digest('hex')}`;
}

export const webhook: NotificationChannel<WebhookConfig> = {
  type: 'webhook',
  secrets: (config) => [...urlSecrets(config.url), ...(config.secret ? [config.secret] : []), ...credentialHeaders(config.headers)],
  async send(config, message, ctx) {
    const body = webhookBody(message);
    // Configured headers first: they may add credentials, but never replace what Medic vouches for.
    const headers: Record<string, string> = { ...config.headers, ...medicHeaders(message) };
    if (config.secret) headers['x-medic-signature'] = sign(Buffer.from(body, 'utf8'), config.secret);
    const { result } = await postJson(config.url, body, headers, ctx);
    return result;
  },
};
