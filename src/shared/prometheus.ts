import type { MedicConfig } from '../config/index.js';
import { OutboundError, sendRequest } from './http.js';

/**
 * The one Prometheus client: an instant query (`GET <url>/api/v1/query`), read into a typed result.
 * Runbook `prometheus` steps show it one series a line (diagnose/steps/prometheus.ts); verification and
 * the command center read one number from it (verify/prometheus.ts). Every failure is one line that says
 * whose it is: Prometheus unreachable, an answer that is not Prometheus's (a login page at the URL),
 * or a query Prometheus rejects, in its own words.
 */

/** Where a query goes: medic.yaml's `prometheus:` section (see queryTarget). */
export interface PrometheusTarget {
  url: string;
  timeoutMs: number;
  headers: Record<string, string>;
}

export interface PromSample {
  labels: Record<string, string>;
  /** Prometheus sends numbers as strings; "NaN", "+Inf" and "-Inf" become NaN and ±Infinity. */
  value: number;
  /** Unix seconds. */
  timestamp: number;
}
export interface PromSeries {
  labels: Record<string, string>;
  values: Array<[timestamp: number, value: number]>;
}
export type PromResult =
  | { resultType: 'vector'; result: PromSample[] }
  | { resultType: 'matrix'; result: PromSeries[] }
  | { resultType: 'scalar'; result: number }
  | { resultType: 'string'; result: string };

export type InstantQueryAnswer =
  | { ok: true; statusCode: number; result: PromResult; warnings: string[] }
  | {
      ok: false;
      error: string;
      /** When an answer came. */
      statusCode?: number;
      /** The answer, when it was not Prometheus's: people see what stood at the URL instead. */
      body?: string;
    };

/** Answers are JSON; a huge matrix is still bounded. */
const READ_LIMIT = 10 * 1024 * 1024;

/** `prometheus:` of medic.yaml as a query target. */
export function queryTarget(prometheus: NonNullable<MedicConfig['prometheus']>): PrometheusTarget {
  return { url: prometheus.url, timeoutMs: prometheus.timeout, headers: prometheus.headers };
}

/**
 * `at` (ms) evaluates the query at that time instead of now; `timeoutMs` (default the target's) bounds
 * the request, and is sent along so that Prometheus stops evaluating when the caller stops waiting.
 */
export async function instantQuery(target: PrometheusTarget, query: string, options: { signal?: AbortSignal; at?: number; timeoutMs?: number } = {}): Promise<InstantQueryAnswer> {
  const timeoutMs = options.timeoutMs ?? target.timeoutMs;
  const url = new URL(`${target.url.replace(/\/+$/, '')}/api/v1/query`);
  url.searchParams.set('query', query);
  if (options.at !== undefined) url.searchParams.set('time', (options.at / 1000).toFixed(3));
  url.searchParams.set('timeout', `${timeoutMs / 1000}`);
  let res;
  try {
    res = await sendRequest({ url, method: 'GET', headers: { accept: 'application/json', ...target.headers }, signal: options.signal, timeoutMs, keepBytes: READ_LIMIT });
  } catch (err) {
    return { ok: false, error: `Prometheus at ${target.url}: ${err instanceof OutboundError ? err.message : String(err)}` };
  }
  const statusCode = res.statusCode;
  const text = res.body.text();
  let answer: PromAnswer | undefined;
  try {
    answer = JSON.parse(text) as PromAnswer;
  } catch {
    answer = undefined;
  }
  if (!answer || typeof answer !== 'object' || (answer.status !== 'success' && answer.status !== 'error')) {
    return { ok: false, statusCode, body: text, error: `Prometheus answered HTTP ${statusCode} without a query result (is prometheus.url right?)` };
  }
  if (answer.status === 'error') {
    return { ok: false, statusCode, error: `Prometheus rejected the query (${answer.errorType ?? `HTTP ${statusCode}`}): ${answer.error ?? 'no reason given'}` };
  }
  const result = parseResult(answer.data);
  if (!result) return { ok: false, statusCode, error: `Prometheus answered a result Medic cannot read (resultType ${JSON.stringify(answer.data?.resultType)})` };
  return { ok: true, statusCode, result, warnings: answer.warnings ?? [] };
}

interface PromAnswer {
  status: 'success' | 'error';
  data?: { resultType?: string; result?: unknown };
  errorType?: string;
  error?: string;
  warnings?: string[];
}

type RawSample = [number, string];

function parsePromNumber(text: string): number {
  if (text === '+Inf' || text === 'Inf') return Infinity;
  if (text === '-Inf') return -Infinity;
  return Number(text);
}

/** The result in Prometheus's documented shapes; undefined for anything else (never a throw). */
function parseResult(data: PromAnswer['data']): PromResult | undefined {
  const raw = data?.result;
  try {
    switch (data?.resultType) {
      case 'vector':
        return {
          resultType: 'vector',
          result: (raw as Array<{ metric: Record<string, string>; value: RawSample }>).map((s) => ({
            labels: s.metric,
            value: parsePromNumber(s.value[1]),
            timestamp: s.value[0],
          })),
        };
      case 'matrix':
        return {
          resultType: 'matrix',
          result: (raw as Array<{ metric: Record<string, string>; values: RawSample[] }>).map((s) => ({
            labels: s.metric,
            values: s.values.map(([t, v]) => [t, parsePromNumber(v)] as [number, number]),
          })),
        };
      case 'scalar':
        return { resultType: 'scalar', result: parsePromNumber((raw as RawSample)[1]) };
      case 'string':
        return { resultType: 'string', result: (raw as RawSample)[1] };
      default:
        return undefined;
    }
  } catch {
    return undefined;
  }
}
