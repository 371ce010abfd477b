import net from 'node:net';

/**
 * The one TCP probe: can a connection to host:port be opened before the signal aborts. Nothing is sent;
 * the connection is closed as soon as it opens. The `tcp` check (detect/checks/tcp.ts, which times the
 * phases through `watch`) and the runbook `tcp` step (diagnose/steps/tcp.ts, `nc -zv host port`) both
 * ask this, each with its own deadline in the signal and its own words for the outcome.
 */

export type TcpProbe = { ok: true; address: string } | { ok: false; error: Error; aborted: boolean };

/**
 * `error` is the socket's when the connection failed (`aborted: false`), or the signal's reason when
 * the signal aborted first (`aborted: true`; then no connection is attempted if it had already).
 */
export function probeTcp(host: string, port: number, signal: AbortSignal, watch?: (socket: net.Socket) => void): Promise<TcpProbe> {
  if (signal.aborted) return Promise.resolve({ ok: false, error: reasonOf(signal), aborted: true });
  const socket = net.connect({ host, port });
  watch?.(socket);
  return new Promise((resolve) => {
    const done = (probe: TcpProbe) => {
      signal.removeEventListener('abort', onAbort);
      socket.destroy();
      resolve(probe);
    };
    const onAbort = () => done({ ok: false, error: reasonOf(signal), aborted: true });
    signal.addEventListener('abort', onAbort, { once: true });
    socket.once('connect', () => done({ ok: true, address: `${socket.remoteAddress}:${socket.remotePort}` }));
    // `on`, not `once`: an error after the outcome is decided must not become an uncaught exception.
    socket.on('error', (err) => done({ ok: false, error: err, aborted: false }));
  });
}

function reasonOf(signal: AbortSignal): Error {
  return signal.reason instanceof Error ? signal.reason : new Error(String(signal.reason ?? 'aborted'));
}
