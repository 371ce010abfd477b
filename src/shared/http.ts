import { Agent, request, type Dispatcher } from 'undici';
import { formatDuration } from '../config/index.js';
import { describeError } from './network-error.js';
import { OutputBuffer } from './output.js';

/**
 * One outbound HTTP request with a bounded body read and a deadline: the one poster of runbook `http`
 * steps, Prometheus queries (./prometheus.ts), `webhook` actions, `medic dashboard --server` and every
 * notification channel that speaks HTTP (notify/http.ts, which decides what an answer means for the next
 * delivery attempt). Checks have their own client (detect/checks/http-client.ts): they time each phase
 * of the connection and follow redirects.
 *
 * Redirects are not followed (undici's `request` never does): what a step shows is what the URL
 * answered, and a header that holds a secret never reaches an origin the config did not name. A caller
 * that ever needs to follow one goes through ./redirect.ts, the one policy for what a redirect may carry
 * to another origin.
 */

export interface OutboundRequest {
  url: string | URL;
  method: string;
  headers?: Record<string, string>;
  body?: string;
  /** Verify the server's TLS certificate (default true). */
  verifyTls?: boolean;
  signal?: AbortSignal;
  timeoutMs: number;
  /** How much of the body to keep in memory. */
  keepBytes: number;
  /**
   * The body past keepBytes: `count` (the default) reads, counts and drops it, so that a cut can say its
   * size; `stop` reads no further and closes the connection (the caller needs nothing past the limit).
   */
  rest?: 'count' | 'stop';
}

export interface OutboundResponse {
  statusCode: number;
  headers: Record<string, string | string[] | undefined>;
  body: OutputBuffer;
}

/**
 * Thrown when the request could not complete; `message` is one line for people. `kind` says why: the
 * deadline passed, the caller's signal aborted, or the request failed (no connection, a refused URL).
 */
export class OutboundError extends Error {
  constructor(
    message: string,
    readonly kind: 'timeout' | 'cancelled' | 'failed',
    /** The status, when the failure came while reading the body. */
    readonly statusCode?: number,
    /** The failure's own code (ECONNREFUSED, UND_ERR_INVALID_ARG, …). */
    readonly code?: string,
  ) {
    super(message);
    this.name = 'OutboundError';
  }
}

/** undici's own timeouts, set to the deadline too, so that a long deadline is not cut at undici's 300 s default. */
const UNDICI_TIMEOUTS = new Set(['UND_ERR_HEADERS_TIMEOUT', 'UND_ERR_BODY_TIMEOUT']);

export async function sendRequest(req: OutboundRequest): Promise<OutboundResponse> {
  const deadline = AbortSignal.timeout(req.timeoutMs);
  const signal = req.signal ? AbortSignal.any([req.signal, deadline]) : deadline;
  // A certificate exception applies to this one request only, never to the process-wide dispatcher.
  const dispatcher: Dispatcher | undefined = req.verifyTls === false ? new Agent({ connect: { rejectUnauthorized: false } }) : undefined;
  let statusCode: number | undefined;
  try {
    const res = await request(req.url, {
      method: req.method.toUpperCase() as Dispatcher.HttpMethod,
      headers: req.headers ?? {},
      ...(req.body !== undefined ? { body: req.body } : {}),
      signal,
      headersTimeout: req.timeoutMs,
      bodyTimeout: req.timeoutMs,
      ...(dispatcher ? { dispatcher } : {}),
    });
    statusCode = res.statusCode;
    const body = new OutputBuffer(req.keepBytes);
    for await (const chunk of res.body) {
      body.push(chunk as Buffer);
      // Leaving the loop destroys the stream: the rest is never read.
      if (req.rest === 'stop' && body.overflowed) break;
    }
    return { statusCode: res.statusCode, headers: res.headers, body };
  } catch (err) {
    const code = typeof (err as { code?: unknown }).code === 'string' ? (err as { code: string }).code : undefined;
    if (deadline.aborted || (code && UNDICI_TIMEOUTS.has(code))) throw new OutboundError(`timed out after ${formatDuration(req.timeoutMs)}`, 'timeout', statusCode, code);
    if (req.signal?.aborted) throw new OutboundError('cancelled', 'cancelled', statusCode, code);
    throw new OutboundError(describeError(err), 'failed', statusCode, code);
  } finally {
    await dispatcher?.close().catch(() => undefined);
  }
}
