import type { MedicConfig } from '../config/index.js';
import { OutboundError, sendRequest } from '../shared/http.js';

/**
 * One number from Prometheus: an instant query (`GET /api/v1/query`) whose answer is a scalar or a
 * vector of one series, as a service's `metrics:` PromQL gives (`sum(rate(…)) / sum(rate(…))`).
 * No series, or NaN (0/0: no requests at all), is "no data", which proves nothing either way.
 */

export type PromNumber = { value: number } | { value: null; error?: string };

const READ_LIMIT = 1024 * 1024;

function parseNumber(text: string): number {
  if (text === '+Inf' || text === 'Inf') return Infinity;
  if (text === '-Inf') return -Infinity;
  return Number(text);
}

/** `at` (ms) evaluates the query at that time instead of now: the command center's window before. */
export async function queryNumber(prometheus: NonNullable<MedicConfig['prometheus']>, query: string, signal?: AbortSignal, at?: number): Promise<PromNumber> {
  const url = new URL(`${prometheus.url.replace(/\/+$/, '')}/api/v1/query`);
  url.searchParams.set('query', query);
  if (at !== undefined) url.searchParams.set('time', (at / 1000).toFixed(3));
  let text: string;
  let status: number;
  try {
    const res = await sendRequest({ url, method: 'GET', headers: { accept: 'application/json', ...prometheus.headers }, signal, timeoutMs: prometheus.timeout, keepBytes: READ_LIMIT });
    text = res.body.text();
    status = res.statusCode;
  } catch (err) {
    return { value: null, error: `Prometheus at ${prometheus.url}: ${err instanceof OutboundError ? err.message : String(err)}` };
  }
  let answer: { status?: string; error?: string; data?: { resultType?: string; result?: unknown } };
  try {
    answer = JSON.parse(text) as typeof answer;
  } catch {
    return { value: null, error: `Prometheus answered HTTP ${status} without a query result` };
  }
  if (answer.status !== 'success') return { value: null, error: `Prometheus rejected the query: ${answer.error ?? `HTTP ${status}`}` };
  const data = answer.data;
  let raw: string | undefined;
  if (data?.resultType === 'scalar') raw = (data.result as [number, string])[1];
  else if (data?.resultType === 'vector') {
    const series = data.result as Array<{ value: [number, string] }>;
    if (series.length > 1) return { value: null, error: `the query gives ${series.length} series; verification needs one number (aggregate it with sum(…))` };
    raw = series[0]?.value[1];
  } else return { value: null, error: `the query gives a ${data?.resultType ?? 'missing'} result; verification needs one number` };
  if (raw === undefined) return { value: null };
  const value = parseNumber(raw);
  return Number.isNaN(value) ? { value: null } : { value };
}
