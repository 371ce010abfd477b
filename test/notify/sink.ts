import { createServer, type IncomingHttpHeaders, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Redactor } from '../../src/config/index.js';
import type { SendContext } from '../../src/notify/index.js';

/** A real HTTP server on 127.0.0.1 that records what it receives and answers as told. */

export interface Received {
  method: string;
  path: string;
  headers: IncomingHttpHeaders;
  /** Exact bytes, for signature checks. */
  raw: Buffer;
  json: unknown;
}

export type Responder = (req: Received, res: ServerResponse) => void;

export interface Sink {
  url: string;
  port: number;
  received: Received[];
  respond(handler: Responder): void;
  close(): Promise<void>;
}

export async function startSink(initial: Responder = (_req, res) => res.writeHead(200).end('ok')): Promise<Sink> {
  let handler = initial;
  const received: Received[] = [];
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const raw = Buffer.concat(chunks);
      let json: unknown;
      try {
        json = JSON.parse(raw.toString('utf8'));
      } catch {}
      const r: Received = { method: req.method ?? '', path: req.url ?? '', headers: req.headers, raw, json };
      received.push(r);
      handler(r, res);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    received,
    respond: (h) => {
      handler = h;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** A port nothing listens on: bound, then released. */
export async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

export function context(overrides: Partial<SendContext> = {}): SendContext {
  return { signal: new AbortController().signal, redactor: new Redactor(), timeoutMs: 5000, ...overrides };
}
