import diagnostics from 'node:diagnostics_channel';
import type { Socket } from 'node:net';
import tls from 'node:tls';
import { Agent, buildConnector } from 'undici';

/**
 * The undici Agents HTTP checks send through, and the measurement of each connection's phases.
 *
 * Connection reuse — deliberately none. Every request goes out with `reset: true` (`connection: close`),
 * so each check opens a fresh connection, and TLS session resumption is off (maxCachedSessions: 0), so
 * each check does a full handshake and verifies the certificate chain. That is what a synthetic check is
 * for: it catches the broken DNS record, the dead load-balancer member and the bad certificate that a
 * warm keep-alive connection would hide, and it is the only way dns/connect/tls timings mean anything.
 * The price is one TCP (+ TLS) handshake per check, which at 1,000 checks/s is a small share of two cores
 * next to the network wait. What is shared is everything that is not the connection: two Agents for the
 * whole process (one verifying certificates, one not), so pools and connectors are not rebuilt per check.
 *
 * Timing method: the Agent's connector wraps undici's buildConnector and stamps performance.now() on the
 * socket's own `lookup`, `connect` and `secureConnect` events. To know which request a socket served,
 * undici's `undici:client:sendHeaders` diagnostics channel hands over (headers, socket) as the request is
 * written; the headers carry the request's own traceparent, whose span id is unique per request, so the
 * span id is the key that ties a request to its connection without any per-origin guessing.
 */

/** performance.now() stamps of one connection's phases. */
export interface ConnectionPhases {
  start: number;
  lookupEnd?: number;
  connectEnd?: number;
  secureEnd?: number;
}

/**
 * Upper bound on the TCP+TLS handshake inside undici. The check's own timeout usually ends the check
 * first; this only bounds how long an abandoned handshake to a black-holed address keeps its socket.
 */
const CONNECT_TIMEOUT_MS = 30_000;

const phasesBySocket = new WeakMap<object, ConnectionPhases>();

function timedConnector(verifyTls: boolean): buildConnector.connector {
  // One SecureContext (the system CA store, protocol settings) for all connections: building one per
  // connection, Node's default, was a sixth of the CPU of an HTTPS check. OpenSSL's client session cache
  // stays unused (Node never resumes without an explicit `session`), so every handshake is still full.
  const secureContext = tls.createSecureContext();
  const base = buildConnector({ rejectUnauthorized: verifyTls, secureContext, maxCachedSessions: 0, timeout: CONNECT_TIMEOUT_MS, keepAlive: false });
  // undici's connector returns the socket it creates, though its type says void.
  const connect = base as unknown as (options: buildConnector.Options, callback: buildConnector.Callback) => Socket | undefined;
  return (options, callback) => {
    const phases: ConnectionPhases = { start: performance.now() };
    const socket = connect(options, callback);
    if (socket) {
      phasesBySocket.set(socket, phases);
      // Prepended so the stamp is taken before undici's own listener starts writing the request.
      socket.prependOnceListener('lookup', () => (phases.lookupEnd = performance.now()));
      socket.prependOnceListener('connect', () => (phases.connectEnd = performance.now()));
      if (options.protocol === 'https:') socket.prependOnceListener('secureConnect', () => (phases.secureEnd = performance.now()));
    }
    return socket;
  };
}

const agents = new Map<boolean, Agent>();

/** The shared Agent for checks with (true) or without (false) certificate verification. */
export function agentFor(verifyTls: boolean): Agent {
  let agent = agents.get(verifyTls);
  if (!agent) {
    // The check enforces its own deadline over the whole request, so undici's per-phase timeouts are off.
    agent = new Agent({ connect: timedConnector(verifyTls), headersTimeout: 0, bodyTimeout: 0 });
    agents.set(verifyTls, agent);
  }
  return agent;
}

/** Closes the shared Agents (on shutdown); later checks create new ones. */
export async function closeHttpAgents(): Promise<void> {
  const all = [...agents.values()];
  agents.clear();
  await Promise.all(all.map((a) => a.destroy()));
}

/** A request in flight, keyed by its span id, waiting to learn which socket carried it. */
export interface RequestProbe {
  socket?: object;
}

const probes = new Map<string, RequestProbe>();
let subscribed = false;

const TRACEPARENT = 'traceparent: 00-';
// "traceparent: 00-" + 32 hex trace id + "-", then the 16 hex span id.
const SPAN_OFFSET = TRACEPARENT.length + 33;

function onSendHeaders(message: unknown): void {
  if (probes.size === 0) return;
  const { headers, socket } = message as { headers?: unknown; socket?: object };
  if (typeof headers !== 'string') return;
  const at = headers.indexOf(TRACEPARENT);
  if (at < 0) return;
  const probe = probes.get(headers.slice(at + SPAN_OFFSET, at + SPAN_OFFSET + 16));
  if (probe) probe.socket = socket;
}

/** Starts watching for the request whose traceparent carries this span id; call release() when done. */
export function probeRequest(spanId: string): RequestProbe & { release(): void } {
  if (!subscribed) {
    diagnostics.subscribe('undici:client:sendHeaders', onSendHeaders);
    subscribed = true;
  }
  const probe: RequestProbe & { release(): void } = { release: () => probes.delete(spanId) };
  probes.set(spanId, probe);
  return probe;
}

/** The phases of the connection a probed request went out on, if it was seen. */
export function connectionPhases(probe: RequestProbe): ConnectionPhases | undefined {
  return probe.socket ? phasesBySocket.get(probe.socket) : undefined;
}
