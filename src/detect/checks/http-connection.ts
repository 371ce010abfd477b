import type { Socket } from 'node:net';
import tls from 'node:tls';
import { buildConnector, Client } from 'undici';

/**
 * The connection each hop of an HTTP check goes out on, and the measurement of its phases.
 *
 * Connection reuse — deliberately none. Every request goes out with `reset: true` (`connection: close`),
 * so each check opens a fresh connection, and TLS session resumption is off (maxCachedSessions: 0), so
 * each check does a full handshake and verifies the certificate chain. That is what a synthetic check is
 * for: it catches the broken DNS record, the dead load-balancer member and the bad certificate that a
 * warm keep-alive connection would hide, and it is the only way dns/connect/tls timings mean anything.
 *
 * So a hop gets an undici Client of its own, destroyed when the hop is over. An Agent shared by all checks
 * bought nothing here: it drops an origin's Pool whenever its last connection closes — after every check
 * of an origin not checked concurrently — and closing a Pool and its Client made two errors with stack
 * traces and a chain of promises each time (a twentieth of a check's CPU). What is shared is what costs to
 * build: the connector and its SecureContext, one verifying certificates and one not.
 *
 * Timing method: the hop's connector wraps undici's and stamps performance.now() on the socket's own
 * `lookup`, `connect` and `secureConnect` events into the hop's ConnectionPhases.
 */

/** performance.now() stamps of one connection's phases. */
export interface ConnectionPhases {
  start?: number;
  lookupEnd?: number;
  connectEnd?: number;
  secureEnd?: number;
}

/**
 * Upper bound on the TCP+TLS handshake inside undici. The check's own timeout usually ends the check
 * first; this only bounds how long an abandoned handshake to a black-holed address keeps its socket.
 */
const CONNECT_TIMEOUT_MS = 30_000;

type Connect = (options: buildConnector.Options, callback: buildConnector.Callback) => Socket | undefined;

const connectors = new Map<boolean, Connect>();

function connectorFor(verifyTls: boolean): Connect {
  let connect = connectors.get(verifyTls);
  if (!connect) {
    // One SecureContext (the system CA store, protocol settings) for all connections: building one per
    // connection, Node's default, was a sixth of the CPU of an HTTPS check. OpenSSL's client session cache
    // stays unused (Node never resumes without an explicit `session`), so every handshake is still full.
    const secureContext = tls.createSecureContext();
    // undici's connector returns the socket it creates, though its type says void.
    connect = buildConnector({ rejectUnauthorized: verifyTls, secureContext, maxCachedSessions: 0, timeout: CONNECT_TIMEOUT_MS, keepAlive: false }) as unknown as Connect;
    connectors.set(verifyTls, connect);
  }
  return connect;
}

/** Clients whose hop is not over: destroyed on shutdown. */
const live = new Set<Client>();

/** A Client for one hop to `origin`, stamping its connection's phases into `phases`. */
export function hopClient(origin: string, verifyTls: boolean, phases: ConnectionPhases): Client {
  const base = connectorFor(verifyTls);
  const connect = (options: buildConnector.Options, callback: buildConnector.Callback) => {
    phases.start = performance.now();
    const socket = base(options, callback);
    if (socket) {
      // Prepended so the stamp is taken before undici's own listener starts writing the request.
      socket.prependOnceListener('lookup', () => (phases.lookupEnd = performance.now()));
      socket.prependOnceListener('connect', () => (phases.connectEnd = performance.now()));
      if (options.protocol === 'https:') socket.prependOnceListener('secureConnect', () => (phases.secureEnd = performance.now()));
    }
    return socket;
  };
  // The check enforces its own deadline over the whole request, so undici's per-phase timeouts are off.
  const client = new Client(origin, { connect: connect as buildConnector.connector, headersTimeout: 0, bodyTimeout: 0 });
  live.add(client);
  return client;
}

/** Given to destroy() so undici makes no error (with a stack) of its own: no request is left to fail. */
const HOP_OVER = new Error('check hop over');
const ignore = () => {};

/** Ends a hop's Client, and its connection if still open (`reason`: why, for a request still pending). */
export function endHop(client: Client, reason: Error = HOP_OVER): void {
  live.delete(client);
  if (!client.destroyed) client.destroy(reason, ignore);
}

/** Ends every hop in flight (on shutdown). */
export async function closeHttpClients(): Promise<void> {
  const all = [...live];
  live.clear();
  await Promise.all(all.map((c) => c.destroy()));
}
