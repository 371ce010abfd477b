import nodemailer from 'nodemailer';
import type { ChannelConfig } from '../../config/index.js';
import { describeError } from '../../shared/network-error.js';
import { delivered, permanent, retryable, type DeliveryResult, type NotificationChannel } from '../channel.js';
import { EVENT_LABELS, type NotificationMessage } from '../message.js';
import { urlSecrets } from '../redaction.js';
import { contextLine, facts, medicHeaders } from '../render.js';

/** Email over SMTP (nodemailer), to the `smtp` URL of the channel: "smtp://user:pass@host:587" or "smtps://…". */

type EmailConfig = Extract<ChannelConfig, { type: 'email' }>;

export function emailSubject(message: NotificationMessage): string {
  return `[${message.incident.severity}] ${message.incident.title} — ${EVENT_LABELS[message.event]}`;
}

export function emailText(message: NotificationMessage): string {
  const lines = [message.text, ...(message.lastTime ? [message.lastTime] : []), ''];
  for (const [k, v] of facts(message)) lines.push(`${k}: ${v}`);
  if (message.details?.length) lines.push('', ...message.details);
  if (message.incident.url) lines.push('', `Open incident: ${message.incident.url}`);
  lines.push('', `— ${contextLine(message)}`);
  return lines.join('\n');
}

const html = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

export function emailHtml(message: NotificationMessage): string {
  const rows = facts(message)
    .map(([k, v]) => `<tr><th align="left" style="padding-right:12px">${html(k)}</th><td>${html(v)}</td></tr>`)
    .join('');
  const details = message.details?.length ? `<p>${message.details.map(html).join('<br>')}</p>` : '';
  const link = message.incident.url ? `<p><a href="${html(message.incident.url)}">Open incident</a></p>` : '';
  return [
    '<!doctype html><html><body style="font-family:sans-serif">',
    `<p><strong>${html(message.text)}</strong></p>`,
    message.lastTime ? `<p>${html(message.lastTime)}</p>` : '',
    `<table>${rows}</table>`,
    details,
    link,
    `<p style="color:#666;font-size:small">${html(contextLine(message))}</p>`,
    '</body></html>',
  ].join('');
}

/**
 * SMTP reply codes decide: 5xx is permanent (a bad address, refused credentials), 4xx is "try again later".
 * Without a code, refused credentials or envelope are permanent and anything on the way (connection,
 * timeout, TLS) retryable.
 */
function classify(err: unknown, reason: string): DeliveryResult {
  const e = err as { responseCode?: unknown; code?: unknown };
  const code = typeof e.responseCode === 'number' ? e.responseCode : null;
  if (code !== null && code >= 500) return permanent(code, reason);
  if (code !== null && code >= 400) return retryable(code, reason);
  if (e.code === 'EAUTH' || e.code === 'ENOAUTH' || e.code === 'EENVELOPE' || e.code === 'ECONFIG') return permanent(code, reason);
  return retryable(code, reason);
}

export const email: NotificationChannel<EmailConfig> = {
  type: 'email',
  secrets: (config) => urlSecrets(config.smtp),
  async send(config, message, ctx) {
    const timeout = AbortSignal.timeout(ctx.timeoutMs);
    const signal = AbortSignal.any([ctx.signal, timeout]);
    const transport = nodemailer.createTransport({
      url: config.smtp,
      connectionTimeout: ctx.timeoutMs,
      greetingTimeout: ctx.timeoutMs,
      socketTimeout: ctx.timeoutMs,
      // Rendered text only: never let message content make the server read files or fetch URLs.
      disableFileAccess: true,
      disableUrlAccess: true,
    });
    try {
      const info = await transport.sendMail({
        from: config.from,
        to: config.to,
        subject: emailSubject(message),
        text: emailText(message),
        html: emailHtml(message),
        // The same Message-ID on every retry lets mail clients fold a duplicate away.
        messageId: `<${message.idempotencyKey}@medic>`,
        headers: { 'X-Medic-Event': medicHeaders(message)['x-medic-event']!, 'X-Medic-Delivery': message.idempotencyKey },
        signal,
      });
      const code = Number(/^(\d{3})/.exec(String(info.response ?? ''))?.[1]);
      return delivered(Number.isFinite(code) ? code : null, { reference: info.messageId });
    } catch (err) {
      if (timeout.aborted) return retryable(null, `no answer within ${ctx.timeoutMs} ms`);
      if (ctx.signal.aborted) return retryable(null, 'delivery aborted');
      return classify(err, ctx.redactor.redact(describeError(err)));
    } finally {
      transport.close();
    }
  },
};
