import { createServer, STATUS_CODES, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { renderMetrics } from '../shared/metrics.js';
import { MEDIC_VERSION } from '../shared/version.js';
import type { Runtime } from './bootstrap.js';

/**
 * A worker's optional HTTP listener (`--metrics-port`): `GET /healthz` (200 while the database answers,
 * else 503, for liveness and readiness probes) and `GET /metrics` (Prometheus). Nothing else: a worker
 * serves no API. Off by default, so that a worker opens no port unless asked.
 */
export interface MetricsListener {
  url: string;
  close(): Promise<void>;
}

export async function startMetricsListener(rt: Runtime, options: { port: number; host?: string }): Promise<MetricsListener> {
  const { store, metrics, identity, loaded } = rt;
  const server: Server = createServer((req, res) => {
    const path = (req.url ?? '/').split('?')[0];
    const send = (status: number, type: string, body: string) => {
      res.writeHead(status, { 'content-type': type, 'cache-control': 'no-store' });
      res.end(body);
    };
    if (req.method !== 'GET' && req.method !== 'HEAD') return send(405, 'application/json', JSON.stringify({ error: STATUS_CODES[405] }));
    if (path === '/healthz') {
      const base = { version: MEDIC_VERSION, role: identity.role, location: identity.location, worker: identity.id, database: store.engine };
      store.ping().then(
        () => send(200, 'application/json', JSON.stringify({ status: 'ok', ...base })),
        (err: Error) => send(503, 'application/json', JSON.stringify({ status: 'error', ...base, message: loaded.redactor.redact(err.message) })),
      );
      return;
    }
    if (path === '/metrics') {
      renderMetrics(metrics).then(
        (text) => send(200, metrics.contentType, text),
        (err: Error) => send(500, 'text/plain', loaded.redactor.redact(err.message)),
      );
      return;
    }
    send(404, 'application/json', JSON.stringify({ error: STATUS_CODES[404], message: 'a worker serves GET /healthz and GET /metrics only' }));
  });
  const host = options.host ?? loaded.config.server.host;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const { port } = server.address() as AddressInfo;
  const url = `http://${host.includes(':') ? `[${host}]` : host}:${port}`;
  rt.logger.info({ url }, 'health and metrics listener ready');
  return {
    url,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
