import { formatDuration } from '../../config/index.js';
import { describeError } from '../../shared/network-error.js';
import { probeTcp } from '../../shared/tcp.js';
import type { StepRunner } from './step.js';

/**
 * `tcp:` — can we open a connection to host:port within the timeout (a script's `nc -zv
 * postgres-primary 5432`), through the one probe of shared/tcp.ts. Nothing is sent; the connection is
 * closed as soon as it opens.
 */

/** Splits "host:port" and "[::1]:5432". */
export function parseHostPort(target: string): { host: string; port: number } {
  const m = /^\[([^\]]+)\]:(\d{1,5})$/.exec(target) ?? /^(.+):(\d{1,5})$/.exec(target);
  if (!m) throw new Error(`expected "host:port", got ${JSON.stringify(target)}`);
  const port = Number(m[2]);
  if (port < 1 || port > 65535) throw new Error(`port out of range in ${JSON.stringify(target)}`);
  return { host: m[1]!, port };
}

export const tcpStepRunner: StepRunner<'tcp'> = {
  kind: 'tcp',
  async run(step, ctx) {
    const started = performance.now();
    const elapsed = () => performance.now() - started;
    let target: { host: string; port: number };
    try {
      target = parseHostPort(step.tcp);
    } catch (err) {
      return { ok: false, output: '', durationMs: elapsed(), error: (err as Error).message, truncated: false };
    }
    const outcome = await tryConnect(target.host, target.port, step.timeout, ctx.signal);
    const durationMs = elapsed();
    if (outcome.ok) {
      const output = ctx.redactor.redact(`connected to ${step.tcp} (${outcome.address}) in ${Math.round(durationMs)}ms`);
      return { ok: true, output, durationMs, truncated: false };
    }
    const error = ctx.redactor.redact(`cannot connect to ${step.tcp}: ${outcome.reason}`);
    return { ok: false, output: error, durationMs, error, truncated: false };
  },
};

type ConnectOutcome = { ok: true; address: string } | { ok: false; reason: string };

async function tryConnect(host: string, port: number, timeoutMs: number, signal: AbortSignal): Promise<ConnectOutcome> {
  const deadline = AbortSignal.timeout(timeoutMs);
  const probe = await probeTcp(host, port, AbortSignal.any([signal, deadline]));
  if (probe.ok) return probe;
  if (!probe.aborted) return { ok: false, reason: describeSocketError(probe.error) };
  return { ok: false, reason: deadline.aborted ? `no connection within ${formatDuration(timeoutMs)}` : 'cancelled' };
}

/** The short words of `nc` for the usual failures; anything else as the network stack says it. */
function describeSocketError(err: NodeJS.ErrnoException): string {
  switch (err.code) {
    case 'ECONNREFUSED':
      return 'connection refused';
    case 'ENOTFOUND':
      return 'host not found';
    case 'EHOSTUNREACH':
      return 'host unreachable';
    case 'ENETUNREACH':
      return 'network unreachable';
    case 'ETIMEDOUT':
      return 'connection timed out';
    default:
      return describeError(err);
  }
}
