import { createServer, type AddressInfo, type Socket } from 'node:net';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { channel, type ChannelConfig } from '../../src/config/index.js';
import { sendNotification, type DeliveryResult } from '../../src/notify/index.js';
import { message } from './fixtures.js';
import { closedPort, context } from './sink.js';
import { parseMail, startSmtpSink, type SmtpSink } from './smtp-sink.js';

const cfg = (c: unknown): ChannelConfig => channel.parse(c);
const PASSWORD = 'mail-p4ssw0rd-secret';

let smtp: SmtpSink;
beforeAll(async () => {
  smtp = await startSmtpSink({
    onAuth(auth, _session, callback) {
      if (auth.username === 'medic' && auth.password === PASSWORD) return callback(null, { user: 'medic' });
      return callback(Object.assign(new Error('Invalid username or password'), { responseCode: 535 }));
    },
    onRcptTo(address, _session, callback) {
      if (address.address.startsWith('nobody@')) return callback(Object.assign(new Error('No such user here'), { responseCode: 550 }));
      if (address.address.startsWith('busy@')) return callback(Object.assign(new Error('Mailbox busy, try later'), { responseCode: 450 }));
      return callback();
    },
  });
});
afterAll(() => smtp.close());
beforeEach(() => {
  smtp.mails.length = 0;
});

const emailConfig = (over: Record<string, unknown> = {}) =>
  cfg({ name: 'managers', type: 'email', smtp: `smtp://medic:${PASSWORD}@127.0.0.1:${smtp.port}`, from: 'Medic <medic@example.com>', to: ['oncall@example.com', 'boss@example.com'], ...over });

describe('email channel', () => {
  it('sends the incident by SMTP: subject, from, to, text and HTML bodies, delivery headers', async () => {
    const m = message({ details: ['Restarted 3 pods'] });
    const result = await sendNotification(emailConfig(), m, context());
    expect(result).toEqual({ outcome: 'ok', status: 250, reference: '<12-40-0123456789abcdef@medic>' });
    expect(smtp.mails).toHaveLength(1);
    const mail = smtp.mails[0]!;
    expect(mail.from).toBe('medic@example.com');
    expect(mail.to).toEqual(['oncall@example.com', 'boss@example.com']);
    const parsed = parseMail(mail.raw);
    expect(parsed.headers.subject).toBe('[P1] payment_error_rate > 5% for 5 minutes — opened');
    expect(parsed.headers.from).toBe('Medic <medic@example.com>');
    expect(parsed.headers.to).toBe('oncall@example.com, boss@example.com');
    expect(parsed.headers['message-id']).toBe('<12-40-0123456789abcdef@medic>');
    expect(parsed.headers['x-medic-event']).toBe('opened');
    expect(parsed.headers['x-medic-delivery']).toBe('12-40-0123456789abcdef');
    expect(parsed.text).toBe(
      [
        '[P1] Incident #12 opened: payment_error_rate > 5% for 5 minutes (payment-service)',
        '',
        'Service: payment-service',
        'Severity: P1 (critical)',
        'Status: open',
        'Started: 2026-01-15 12:00 UTC',
        '',
        'Restarted 3 pods',
        '',
        'Open incident: https://medic.example.com/incidents/12',
        '',
        '— Medic · incident #12 · opened · detect 2m',
      ].join('\n'),
    );
    expect(parsed.html).toContain('<strong>[P1] Incident #12 opened: payment_error_rate &gt; 5% for 5 minutes (payment-service)</strong>');
    expect(parsed.html).toContain('<a href="https://medic.example.com/incidents/12">Open incident</a>');
    expect(parsed.html).toContain('<th align="left" style="padding-right:12px">Service</th><td>payment-service</td>');
  });

  it('names the event in the subject', async () => {
    await sendNotification(emailConfig({ to: 'oncall@example.com' }), message({ event: 'remediation_finished' }), context());
    expect(parseMail(smtp.mails[0]!.raw).headers.subject).toBe('[P1] payment_error_rate > 5% for 5 minutes — remediation finished');
  });

  it('escapes HTML in incident text', async () => {
    const m = message();
    m.incident.title = '<script>alert(1)</script>';
    m.text = '<b>x</b>';
    await sendNotification(emailConfig(), m, context());
    const html = parseMail(smtp.mails[0]!.raw).html;
    expect(html).not.toContain('<script>');
    expect(html).toContain('&lt;b&gt;x&lt;/b&gt;');
  });

  const leaks = (r: DeliveryResult) => JSON.stringify(r).includes(PASSWORD);

  it('refused credentials are permanent, without the password in the reason', async () => {
    const result = await sendNotification(emailConfig({ smtp: `smtp://medic:wrong-password-xyz@127.0.0.1:${smtp.port}` }), message(), context());
    expect(result).toMatchObject({ outcome: 'permanent', status: 535 });
    expect(JSON.stringify(result)).not.toContain('wrong-password-xyz');
    expect(smtp.mails).toHaveLength(0);
  });

  it('a rejected recipient (5xx) is permanent, a 4xx is retryable', async () => {
    const rejected = await sendNotification(emailConfig({ to: 'nobody@example.com' }), message(), context());
    expect(rejected).toMatchObject({ outcome: 'permanent', status: 550 });
    expect(rejected.outcome !== 'ok' && rejected.reason).toMatch(/No such user/);
    expect(leaks(rejected)).toBe(false);
    const busy = await sendNotification(emailConfig({ to: 'busy@example.com' }), message(), context());
    expect(busy).toMatchObject({ outcome: 'retryable', status: 450 });
  });

  it('a server that is not there is retryable, without the URL\'s password', async () => {
    const port = await closedPort();
    const result = await sendNotification(emailConfig({ smtp: `smtp://medic:${PASSWORD}@127.0.0.1:${port}` }), message(), context());
    expect(result).toMatchObject({ outcome: 'retryable', status: null });
    expect(result.outcome !== 'ok' && result.reason).toMatch(/ECONNREFUSED/);
    expect(leaks(result)).toBe(false);
  });

  it('a server that never greets is retryable once the timeout passes', async () => {
    const sockets: Socket[] = [];
    const silent = createServer((socket) => sockets.push(socket));
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    try {
      const port = (silent.address() as AddressInfo).port;
      const result = await sendNotification(emailConfig({ smtp: `smtp://127.0.0.1:${port}` }), message(), context({ timeoutMs: 300 }));
      // Medic's deadline or nodemailer's greeting timeout, whichever notices first.
      expect(result).toMatchObject({ outcome: 'retryable', status: null });
    } finally {
      for (const s of sockets) s.destroy();
      await new Promise<void>((resolve) => silent.close(() => resolve()));
    }
  });
});
