import type { HttpMonitorConfig } from '../../config/index.js';
import { describeError } from '../../shared/network-error.js';
import { evaluateAssertions, type HttpAssertions, type Redact } from './assertions.js';
import { describeFailure, failed, ms, timingMeasurements, type AssertionResult, type CheckOutcome, type CheckType } from './check.js';
import { startDeadline } from './deadline.js';
import { sendHttp, type HttpExchange } from './http-client.js';
import { buildRequest } from './request.js';
import { newTraceId } from './trace.js';

/** `type: http` — one request (and its redirects), its assertions, and its timings. */

export interface ExchangeVerdict {
  status: 'up' | 'down';
  error?: string;
  networkError: boolean;
  assertions: AssertionResult[];
}

/** Judges one exchange by its assertions; shared with journey steps. */
export function judgeExchange(exchange: HttpExchange, spec: HttpAssertions, redact?: Redact): ExchangeVerdict {
  if (exchange.error !== undefined || exchange.statusCode === undefined) {
    return { status: 'down', error: exchange.error ?? 'no response', networkError: exchange.networkError, assertions: [] };
  }
  const assertions = evaluateAssertions(spec, {
    statusCode: exchange.statusCode,
    headers: exchange.headers,
    body: exchange.body,
    elapsedMs: exchange.timings.total_ms,
  }, redact);
  const failure = assertions.find((a) => !a.pass);
  if (!failure) return { status: 'up', networkError: false, assertions };
  return { status: 'down', error: describeFailure(failure), networkError: false, assertions };
}

/** The numbers of one exchange that `degraded_if` can read. */
export function exchangeMeasurements(exchange: HttpExchange, into: Record<string, number> = {}): Record<string, number> {
  timingMeasurements(exchange.timings, into);
  if (exchange.statusCode !== undefined) into.status_code = exchange.statusCode;
  into.redirects = exchange.redirects;
  into.body_bytes = exchange.body.size;
  return into;
}

export const httpCheck: CheckType<HttpMonitorConfig> = {
  type: 'http',
  async run(monitor, ctx) {
    const started = performance.now();
    const traceId = newTraceId();
    let request;
    try {
      request = buildRequest(monitor, traceId);
    } catch (err) {
      return failed(describeError(err), 0, { traceId });
    }
    const deadline = startDeadline(ctx.signal, monitor.timeout);
    try {
      const exchange = await sendHttp(request, deadline.signal);
      const verdict = judgeExchange(exchange, monitor, ctx.redact);
      const outcome: CheckOutcome = {
        ...verdict,
        timings: exchange.timings,
        traceId,
        measurements: exchangeMeasurements(exchange),
        info: { url: exchange.url },
        attempts: 1,
      };
      return outcome;
    } catch (err) {
      return failed(describeError(err), ms(performance.now() - started), { traceId });
    } finally {
      deadline.dispose();
    }
  },
};
