import { redactAndCap } from '../../shared/output.js';
import { instantQuery, type PromResult } from '../../shared/prometheus.js';
import type { StepOutput, StepRunner } from './step.js';

/**
 * `prometheus:` — an instant query (`GET <url>/api/v1/query`, through the one Prometheus client in
 * shared/prometheus.ts), shown one series a line the way the Prometheus UI does:
 * `{service="payment"} 0.084`. `value` holds the parsed result; a query Prometheus rejects (bad PromQL)
 * fails the step with Prometheus's own explanation.
 */

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
    const answer = await instantQuery(ctx.prometheus, step.prometheus, { signal: ctx.signal, timeoutMs });
    if (!answer.ok) {
      if (answer.statusCode === undefined) return fail(answer.error);
      // An answer that is not Prometheus's: show what stood at the URL; else the reason itself.
      const shown = answer.body !== undefined ? redactAndCap(answer.body, step.max_output, ctx.redactor) : { text: ctx.redactor.redact(answer.error), truncated: false };
      return fail(answer.error, { output: shown.text, truncated: shown.truncated, statusCode: answer.statusCode });
    }
    const { result, statusCode, warnings } = answer;
    const { text, truncated } = redactAndCap([...formatResult(result), ...warnings.map((w) => `warning: ${w}`)].join('\n'), step.max_output, ctx.redactor);
    return {
      ok: true,
      output: text,
      statusCode,
      value: ctx.redactor.redactDeep(result.result),
      durationMs: performance.now() - started,
      truncated,
    };
  },
};

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
