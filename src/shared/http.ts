import { Agent, request, type Dispatcher } from 'undici';
import { formatDuration } from '../config/index.js';
import { OutputBuffer } from './output.js';

/**
 * One outbound HTTP request with a bounded body read and a deadline, shared by runbook `http` steps,
 * `prometheus` steps and `webhook` actions. Redirects are not followed (undici's `request` never does):
 * what a step shows is what the URL answered. A caller that ever needs to follow one goes through
 * ./redirect.ts, the one policy for what a redirect may carry to another origin.
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
  /** How much of the body to keep in memory; the rest is read, counted and dropped. */
  keepBytes: number;
}

export interface OutboundResponse {
  statusCode: number;
  headers: Record<string, string | string[] | undefined>;
  body: OutputBuffer;
}

/** Thrown when the request could not complete; `message` is one line for people. */
export class OutboundError extends Error {
  constructor(
    message: string,
    readonly timedOut: boolean,
    /** The status, when the failure came while reading the body. */
    readonly statusCode?: number,
  ) {
    super(message);
    this.name = 'OutboundError';
  }
}

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
      ...(dispatcher ? { dispatcher } : {}),
    });
    statusCode = res.statusCode;
    const body = new OutputBuffer(req.keepBytes);
    for await (const chunk of res.body) body.push(chunk as Buffer);
    return { statusCode: res.statusCode, headers: res.headers, body };
  } catch (err) {
    if (deadline.aborted) throw new OutboundError(`timed out after ${formatDuration(req.timeoutMs)}`, true, statusCode);
    if (req.signal?.aborted) throw new OutboundError('cancelled', false, statusCode);
    throw new OutboundError(describeNetworkError(err), false, statusCode);
  } finally {
    await dispatcher?.close().catch(() => undefined);
  }
}

function describeNetworkError(err: unknown): string {
  const e = err as NodeJS.ErrnoException & { cause?: NodeJS.ErrnoException };
  // undici wraps the socket error: "fetch failed"-style messages say less than the cause does.
  const cause = e.cause && typeof e.cause === 'object' ? e.cause : undefined;
  const message = cause?.message ?? e.message ?? String(err);
  return message.replace(/\s+/g, ' ').trim();
}
