import http from 'node:http';
import https from 'node:https';
import type { AddressInfo, Socket } from 'node:net';

/**
 * A real HTTP(S) server on 127.0.0.1 with a port chosen by the OS, for check tests. Routes are plain
 * node handlers; every request is recorded (method, path, headers, body) so a test can assert what the
 * check actually sent.
 */

export interface SeenRequest {
  method: string;
  path: string;
  headers: http.IncomingHttpHeaders;
  body: string;
}

export type Route = (req: http.IncomingMessage, res: http.ServerResponse, body: string) => void;

export interface HttpTarget {
  origin: string;
  port: number;
  url(path: string): string;
  requests: SeenRequest[];
  /** TLS connections that resumed an earlier session instead of a full handshake. */
  readonly tlsResumptions: number;
  /** Requests seen for one path (query string ignored). */
  seen(path: string): SeenRequest[];
  close(): Promise<void>;
}

export async function startHttpTarget(routes: Record<string, Route>, tls?: { key: string; cert: string }): Promise<HttpTarget> {
  const requests: SeenRequest[] = [];
  let resumptions = 0;
  const sockets = new Set<Socket>();
  const handler = (req: http.IncomingMessage, res: http.ServerResponse) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      const path = (req.url ?? '/').split('?')[0]!;
      requests.push({ method: req.method ?? '', path, headers: req.headers, body });
      const route = routes[path];
      if (!route) {
        res.writeHead(404, { 'content-type': 'text/plain' }).end('not found');
        return;
      }
      route(req, res, body);
    });
  };
  const server = tls ? https.createServer({ key: tls.key, cert: tls.cert }, handler) : http.createServer(handler);
  server.on('connection', (s) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  server.on('secureConnection', (s) => {
    if (s.isSessionReused()) resumptions++;
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  const origin = `${tls ? 'https' : 'http'}://127.0.0.1:${port}`;
  return {
    origin,
    port,
    url: (path) => `${origin}${path}`,
    requests,
    get tlsResumptions() {
      return resumptions;
    },
    seen: (path) => requests.filter((r) => r.path === path),
    close: () =>
      new Promise<void>((resolve) => {
        // Hung routes keep their sockets open; a test's teardown must not wait for them.
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}

export function json(res: http.ServerResponse, status: number, value: unknown, headers: Record<string, string> = {}): void {
  res.writeHead(status, { 'content-type': 'application/json', ...headers }).end(JSON.stringify(value));
}
