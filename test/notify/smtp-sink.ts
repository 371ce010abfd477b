import type { AddressInfo } from 'node:net';
import { SMTPServer, type SMTPServerOptions } from 'smtp-server';

/** A real SMTP server on 127.0.0.1 (smtp-server) that keeps every message it accepts. */

export interface Mail {
  from: string;
  to: string[];
  /** The message as sent, CRLF line ends. */
  raw: string;
}

export interface SmtpSink {
  port: number;
  mails: Mail[];
  close(): Promise<void>;
}

export async function startSmtpSink(options: Partial<SMTPServerOptions> = {}): Promise<SmtpSink> {
  const mails: Mail[] = [];
  const server = new SMTPServer({
    // Plain SMTP on loopback: no certificate to trust, so no STARTTLS on offer.
    disabledCommands: ['STARTTLS'],
    authOptional: true,
    allowInsecureAuth: true,
    logger: false,
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (c: Buffer) => chunks.push(c));
      stream.on('end', () => {
        mails.push({
          from: session.envelope.mailFrom ? session.envelope.mailFrom.address : '',
          to: session.envelope.rcptTo.map((r) => r.address),
          raw: Buffer.concat(chunks).toString('utf8'),
        });
        callback();
      });
    },
    ...options,
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  const port = (server.server.address() as AddressInfo).port;
  return { port, mails, close: () => new Promise<void>((resolve) => server.close(() => resolve())) };
}

/** Just enough MIME to read what nodemailer wrote: headers (unfolded, encoded words decoded) and the text/html parts. */
export interface ParsedMail {
  headers: Record<string, string>;
  text: string;
  html: string;
}

function decodeWords(value: string): string {
  return value.replace(/=\?([^?]+)\?([QqBb])\?([^?]*)\?=\s*(?==\?)?/g, (_m, _charset: string, enc: string, data: string) =>
    enc.toUpperCase() === 'B'
      ? Buffer.from(data, 'base64').toString('utf8')
      : Buffer.from(data.replace(/_/g, ' ').replace(/=([0-9A-Fa-f]{2})/g, (_x, h: string) => String.fromCharCode(parseInt(h, 16))), 'latin1').toString('utf8'),
  );
}

function parseHeaders(block: string): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const line of block.replace(/\r\n[ \t]+/g, ' ').split('\r\n')) {
    const i = line.indexOf(':');
    if (i > 0) headers[line.slice(0, i).toLowerCase()] = decodeWords(line.slice(i + 1).trim());
  }
  return headers;
}

function decodeBody(body: string, encoding: string | undefined): string {
  if (encoding === 'base64') return Buffer.from(body.replace(/\s+/g, ''), 'base64').toString('utf8');
  if (encoding === 'quoted-printable') {
    const bytes = body.replace(/=\r\n/g, '').replace(/=([0-9A-Fa-f]{2})/g, (_m, h: string) => String.fromCharCode(parseInt(h, 16)));
    return Buffer.from(bytes, 'latin1').toString('utf8');
  }
  return body;
}

export function parseMail(raw: string): ParsedMail {
  const split = raw.indexOf('\r\n\r\n');
  const headers = parseHeaders(raw.slice(0, split));
  const out: ParsedMail = { headers, text: '', html: '' };
  const boundary = /boundary="?([^";]+)"?/.exec(headers['content-type'] ?? '')?.[1];
  const parts = boundary ? raw.slice(split + 4).split(`--${boundary}`).slice(1, -1) : [raw.slice(split)];
  for (const part of parts) {
    const at = part.indexOf('\r\n\r\n');
    const h = parseHeaders(part.slice(0, at).replace(/^\r\n/, ''));
    const body = decodeBody(part.slice(at + 4).replace(/\r\n$/, ''), h['content-transfer-encoding']).replace(/\r\n/g, '\n');
    if (h['content-type']?.startsWith('text/plain')) out.text = body;
    if (h['content-type']?.startsWith('text/html')) out.html = body;
  }
  return out;
}
