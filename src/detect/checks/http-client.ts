import type { Client, Dispatcher } from 'undici';
import { describeError } from '../../shared/network-error.js';
import { REDIRECT_STATUSES, redirectRequest } from '../../shared/redirect.js';
import { ResponseBody } from './body.js';
import { ms, type Timings } from './check.js';
import { isDeadlineError } from './errors.js';
import { endHop, hopClient, type ConnectionPhases } from './http-connection.js';
import { newSpanId, traceparent } from './trace.js';

/**
 * One HTTP exchange of a check: a request, the redirects it leads to, and the final response read up to
 * a size cap, with the time of every phase. Used by `http` monitors and by each step of a journey.
 * It never throws: a failure is an exchange with `error` set.
 */

export type ResponseHeaders = Record<string, string | string[] | undefined>;

export interface HttpRequestSpec {
  url: string;
  method: string;
  headers: Record<string, string>;
  /** Already serialized (see ./request.ts). */
  body?: string;
  followRedirects: boolean;
  maxRedirects: number;
  verifyTls: boolean;
  /** Sent in the traceparent header of every hop; each hop gets its own span id. */
  traceId: string;
  /** Bytes of the final body kept in memory; the rest is not read. */
  maxBodyBytes?: number;
}

export interface HttpExchange {
  /** The URL of the last request made (after redirects). */
  url: string;
  /** Status of the last response received, if any. */
  statusCode?: number;
  headers: ResponseHeaders;
  body: ResponseBody;
  /** Redirects followed. */
  redirects: number;
  timings: Timings;
  error?: string;
  /** True when the exchange failed before any response arrived. */
  networkError: boolean;
}

/** Enough for any health or API answer; a check never holds more than this per response. */
export const MAX_BODY_BYTES = 1024 * 1024;

const USER_AGENT = 'medic-check/0.1';

/** Marks the abort that stops reading at the size cap, so it is not reported as an error. */
const BODY_CAP_REACHED = new Error('body size cap reached');

interface Hop {
  statusCode?: number;
  headers: ResponseHeaders;
  body: ResponseBody;
  error?: Error;
  firstByteAt?: number;
  phases: ConnectionPhases;
}

const NO_HEADERS: ResponseHeaders = Object.freeze({}) as ResponseHeaders;

interface HopRequest {
  url: URL;
  method: string;
  headers: Record<string, string>;
  body: string | undefined;
  traceId: string;
  verifyTls: boolean;
}

function sendOnce(req: HopRequest, signal: AbortSignal, maxBody: number): Promise<Hop> {
  return new Promise<Hop>((resolve) => {
    const phases: ConnectionPhases = {};
    let client: Client | undefined;
    const chunks: Buffer[] = [];
    let size = 0;
    let truncated = false;
    let statusCode: number | undefined;
    let responseHeaders = NO_HEADERS;
    let firstByteAt: number | undefined;
    let controller: Dispatcher.DispatchController | undefined;
    let settled = false;

    const finish = (error?: Error) => {
      if (settled) return;
      settled = true;
      signal.removeEventListener('abort', onAbort);
      // After the callback undici is in (it finishes with the connection first), and with the error
      // that ended the hop, if any, for a handshake still under way.
      if (client) queueMicrotask(() => endHop(client!, error));
      const bytes = chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks, size);
      const hop: Hop = { statusCode, headers: responseHeaders, body: size === 0 && !truncated ? ResponseBody.empty : new ResponseBody(bytes, truncated), firstByteAt, phases };
      if (error) hop.error = error;
      resolve(hop);
    };
    // The check ends at its deadline even if undici is still waiting for a handshake to finish.
    const onAbort = () => {
      const reason = signal.reason as Error;
      controller?.abort(reason);
      finish(reason);
    };

    const handler: Dispatcher.DispatchHandler = {
      onRequestStart(c) {
        controller = c;
        if (settled) c.abort(signal.reason as Error);
      },
      // The first byte of the response, before its headers are parsed (undici calls it for every handler).
      onResponseStarted() {
        firstByteAt ??= performance.now();
      },
      onResponseStart(_c, code, h) {
        firstByteAt ??= performance.now();
        statusCode = code;
        responseHeaders = h;
      },
      onResponseData(c, chunk) {
        if (settled) return;
        const room = maxBody - size;
        if (chunk.length <= room) {
          chunks.push(chunk);
          size += chunk.length;
          return;
        }
        if (room > 0) chunks.push(chunk.subarray(0, room));
        size += Math.max(room, 0);
        truncated = true;
        finish();
        c.abort(BODY_CAP_REACHED);
      },
      onResponseEnd() {
        skipResetErrorStack();
        finish();
      },
      onResponseError(_c, err) {
        finish(err === BODY_CAP_REACHED ? undefined : err);
      },
    };

    if (signal.aborted) return onAbort();
    signal.addEventListener('abort', onAbort, { once: true });
    try {
      const { url } = req;
      const headers = requestHeaders(req.headers, req.traceId, newSpanId());
      client = hopClient(url.origin, req.verifyTls, phases);
      client.dispatch({ origin: url.origin, path: url.pathname + url.search, method: req.method as Dispatcher.HttpMethod, headers, body: req.body ?? null, reset: true }, handler);
    } catch (err) {
      finish(err as Error);
    }
  });
}

/**
 * Every check's connection ends the same way: right after the response is complete (a synchronous call
 * back into onResponseEnd), undici destroys the socket with a new InformationalError('reset'), and
 * Node's stream destroy reads that error's `stack` at once. Capturing and formatting a stack nobody sees
 * was ~5 % of the CPU of a check. So stack traces are off from onResponseEnd until the microtasks of the
 * current callback run (before any other I/O callback or timer): only errors made synchronously in
 * that window — undici's 'reset' — go without a stack.
 */
let savedStackLimit: number | undefined;

function skipResetErrorStack(): void {
  if (savedStackLimit !== undefined) return;
  savedStackLimit = Error.stackTraceLimit;
  Error.stackTraceLimit = 0;
  queueMicrotask(restoreStackLimit);
}

function restoreStackLimit(): void {
  Error.stackTraceLimit = savedStackLimit!;
  savedStackLimit = undefined;
}

/** Sends the request and follows redirects; never throws. */
export async function sendHttp(spec: HttpRequestSpec, signal: AbortSignal): Promise<HttpExchange> {
  const start = performance.now();
  const sums: PhaseSums = {};
  let redirects = 0;
  const result = (partial: Omit<HttpExchange, 'timings' | 'redirects' | 'networkError'> & { networkError?: boolean }, firstByteAt?: number): HttpExchange => ({
    networkError: false,
    ...partial,
    redirects,
    timings: assembleTimings(start, sums, firstByteAt),
  });

  let url: URL;
  try {
    url = new URL(spec.url);
  } catch {
    return result({ url: spec.url, headers: NO_HEADERS, body: ResponseBody.empty, error: `invalid URL ${JSON.stringify(spec.url)}` });
  }
  const maxBody = spec.maxBodyBytes ?? MAX_BODY_BYTES;
  let { method, body, headers } = spec;

  for (;;) {
    const hop = await sendOnce({ url, method, headers, body, traceId: spec.traceId, verifyTls: spec.verifyTls }, signal, maxBody);
    addPhases(sums, hop.phases);
    const base: Pick<HttpExchange, 'url' | 'headers' | 'body' | 'statusCode'> = { url: url.href, headers: hop.headers, body: hop.body };
    if (hop.statusCode !== undefined) base.statusCode = hop.statusCode;
    if (hop.error) {
      const got = hop.statusCode !== undefined;
      let error = describeError(hop.error);
      if (got && isDeadlineError(hop.error)) error += ' while reading the response body';
      return result({ ...base, error, networkError: !got }, hop.firstByteAt);
    }
    const status = hop.statusCode!;
    const location = headerValue(hop.headers, 'location');
    if (!spec.followRedirects || !REDIRECT_STATUSES.has(status) || location === undefined) return result(base, hop.firstByteAt);

    if (redirects >= spec.maxRedirects) {
      return result({ ...base, error: `too many redirects: ${status} to ${location} after ${redirects} redirect${redirects === 1 ? '' : 's'} (max_redirects: ${spec.maxRedirects})` }, hop.firstByteAt);
    }
    // What a redirect keeps, drops or refuses (headers and body to another origin) is decided there, for every caller.
    const decision = redirectRequest({ url, method, headers, body }, status, location);
    if ('error' in decision) return result({ ...base, error: decision.error }, hop.firstByteAt);
    redirects++;
    ({ url, method, headers, body } = decision.next);
  }
}

function requestHeaders(headers: Record<string, string>, traceId: string, spanId: string): Record<string, string> {
  const out: Record<string, string> = {};
  let userAgent = false;
  for (const [name, value] of Object.entries(headers)) {
    const lower = name.toLowerCase();
    // Our traceparent replaces any configured one: each hop is a span of the check's own trace.
    if (lower === 'traceparent') continue;
    if (lower === 'user-agent') userAgent = true;
    out[name] = value;
  }
  if (!userAgent) out['user-agent'] = USER_AGENT;
  out.traceparent = traceparent(traceId, spanId);
  return out;
}

/** A response header as one string (repeated headers joined with ", "). */
export function headerValue(headers: ResponseHeaders, name: string): string | undefined {
  const value = headers[name.toLowerCase()];
  return Array.isArray(value) ? value.join(', ') : value;
}

type PhaseSums = Pick<Timings, 'dns_ms' | 'connect_ms' | 'tls_ms'>;

function addPhases(sums: PhaseSums, phases: ConnectionPhases): void {
  if (phases.start === undefined) return;
  if (phases.lookupEnd !== undefined) sums.dns_ms = (sums.dns_ms ?? 0) + (phases.lookupEnd - phases.start);
  if (phases.connectEnd === undefined) return;
  sums.connect_ms = (sums.connect_ms ?? 0) + (phases.connectEnd - (phases.lookupEnd ?? phases.start));
  if (phases.secureEnd !== undefined) sums.tls_ms = (sums.tls_ms ?? 0) + (phases.secureEnd - phases.connectEnd);
}

function assembleTimings(start: number, sums: PhaseSums, firstByteAt: number | undefined): Timings {
  const timings: Timings = { total_ms: ms(performance.now() - start) };
  if (sums.dns_ms !== undefined) timings.dns_ms = ms(sums.dns_ms);
  if (sums.connect_ms !== undefined) timings.connect_ms = ms(sums.connect_ms);
  if (sums.tls_ms !== undefined) timings.tls_ms = ms(sums.tls_ms);
  if (firstByteAt !== undefined) timings.first_byte_ms = ms(firstByteAt - start);
  return timings;
}
