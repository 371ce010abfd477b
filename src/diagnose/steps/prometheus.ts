import { OutboundError, sendRequest } from '../../shared/http.js';
import { redactAndCap } from '../../shared/output.js';
import type { StepOutput, StepRunner } from './step.js';

/**
 * `prometheus:` — an instant query (`GET <url>/api/v1/query`), shown one series a line the way the
 * Prometheus UI does: `{service="payment"} 0.084`. `value` holds the parsed result; a query Prometheus
 * rejects (bad PromQL) fails the step with Prometheus's own explanation.
 */

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

/** Answers are JSON; a huge matrix is still bounded. */
const READ_LIMIT = 10 * 1024 * 1024;

export const prometheusStepRunner: StepRunner<'prometheus'> = {
  kind: 'prometheus',
  async run(step, ctx) {
    const started = performance.now();
    const fail = (error: string, extra: Partial<StepOutput> = {}): StepOutput => ({
      ok: false,
      output: '',
      durationMs: performance.now() - started,
      error: ctx.redactor.redact(error),
      truncated: false,
      ...extra,
    });
    if (!ctx.prometheus) return fail('no Prometheus configured: set prometheus.url in medic.yaml');

    // Both bounds hold: the step's own timeout and the configured Prometheus timeout.
    const timeoutMs = Math.min(step.timeout, ctx.prometheus.timeoutMs);
    const url = new URL(`${ctx.prometheus.url.replace(/\/+$/, '')}/api/v1/query`);
    url.searchParams.set('query', step.prometheus);
    url.searchParams.set('timeout', `${timeoutMs / 1000}`);

    let res;
    try {
      res = await sendRequest({
        url,
        method: 'GET',
        headers: { accept: 'application/json', ...ctx.prometheus.headers },
        signal: ctx.signal,
        timeoutMs,
        keepBytes: READ_LIMIT,
      });
    } catch (err) {
      return fail(`Prometheus at ${ctx.prometheus.url}: ${err instanceof OutboundError ? err.message : String(err)}`);
    }

    const bodyText = res.body.text();
    let answer: PromAnswer | undefined;
    try {
      answer = JSON.parse(bodyText) as PromAnswer;
    } catch {
      answer = undefined;
    }
    if (!answer || typeof answer !== 'object' || (answer.status !== 'success' && answer.status !== 'error')) {
      const { text, truncated } = redactAndCap(bodyText, step.max_output, ctx.redactor);
      return fail(`Prometheus answered HTTP ${res.statusCode} without a query result (is prometheus.url right?)`, {
        output: text,
        truncated,
        statusCode: res.statusCode,
      });
    }
    if (answer.status === 'error') {
      const message = `Prometheus rejected the query (${answer.errorType ?? `HTTP ${res.statusCode}`}): ${answer.error ?? 'no reason given'}`;
      return fail(message, { output: ctx.redactor.redact(message), statusCode: res.statusCode });
    }

    const result = parseResult(answer.data);
    if (!result) return fail(`Prometheus answered a result this step cannot read (resultType ${JSON.stringify(answer.data?.resultType)})`);
    const warnings = (answer.warnings ?? []).map((w) => `warning: ${w}`);
    const { text, truncated } = redactAndCap([...formatResult(result), ...warnings].join('\n'), step.max_output, ctx.redactor);
    return {
      ok: true,
      output: text,
      statusCode: res.statusCode,
      value: ctx.redactor.redactDeep(result.result),
      durationMs: performance.now() - started,
      truncated,
    };
  },
};

interface PromAnswer {
  status: 'success' | 'error';
  data?: { resultType?: string; result?: unknown };
  errorType?: string;
  error?: string;
  warnings?: string[];
}

type RawSample = [number, string];

export function parsePromNumber(text: string): number {
  if (text === '+Inf' || text === 'Inf') return Infinity;
  if (text === '-Inf') return -Infinity;
  return Number(text);
}

function parseResult(data: PromAnswer['data']): PromResult | undefined {
  const raw = data?.result;
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
}

/** `name{a="b", c="d"}`, as Prometheus prints a series. */
export function formatSeries(labels: Record<string, string>): string {
  const { __name__: name, ...rest } = labels;
  const pairs = Object.entries(rest).map(([k, v]) => `${k}=${JSON.stringify(v)}`);
  return `${name ?? ''}{${pairs.join(', ')}}`;
}

function formatNumber(n: number): string {
  if (Number.isNaN(n)) return 'NaN';
  if (n === Infinity) return '+Inf';
  if (n === -Infinity) return '-Inf';
  return String(n);
}

function formatResult(result: PromResult): string[] {
  switch (result.resultType) {
    case 'vector':
      return result.result.length === 0 ? ['(no series)'] : result.result.map((s) => `${formatSeries(s.labels)} ${formatNumber(s.value)}`);
    case 'matrix':
      return result.result.length === 0
        ? ['(no series)']
        : result.result.map((s) => `${formatSeries(s.labels)} ${s.values.map(([t, v]) => `${formatNumber(v)} @${t}`).join(', ')}`);
    case 'scalar':
      return [formatNumber(result.result)];
    case 'string':
      return [result.result];
  }
}
