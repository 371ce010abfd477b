import { OutboundError, sendRequest } from '../../shared/http.js';
import { redactAndCap } from '../../shared/output.js';
import type { StepOutput, StepRunner } from './step.js';

/**
 * `loki:` — a LogQL log query over the last `since` (`GET <loki.url>/loki/api/v1/query_range`, direction
 * backward): the matching lines of all streams, newest first, up to `limit`, each with the labels that
 * differ between the streams (the ones all streams share say nothing about a line). A query Loki rejects
 * fails the step with Loki's own explanation.
 */

const READ_LIMIT = 10 * 1024 * 1024;

interface LokiAnswer {
  status?: string;
  data?: { resultType?: string; result?: Array<{ stream: Record<string, string>; values: Array<[string, string]> }> };
}

export interface LokiLine {
  /** Nanoseconds since the epoch, as Loki sends it. */
  timestampNs: string;
  time: string;
  labels: Record<string, string>;
  line: string;
}

export const lokiStepRunner: StepRunner<'loki'> = {
  kind: 'loki',
  async run(step, ctx) {
    const started = performance.now();
    const fail = (error: string, extra: Partial<StepOutput> = {}): StepOutput => {
      const redacted = ctx.redactor.redact(error);
      return { ok: false, output: redacted, durationMs: performance.now() - started, error: redacted, truncated: false, ...extra };
    };
    if (!ctx.loki) return fail('no Loki configured: set loki.url in medic.yaml');
    const endMs = Date.now();
    const url = new URL(`${ctx.loki.url.replace(/\/+$/, '')}/loki/api/v1/query_range`);
    url.searchParams.set('query', step.loki);
    url.searchParams.set('start', `${BigInt(endMs - step.since) * 1_000_000n}`);
    url.searchParams.set('end', `${BigInt(endMs) * 1_000_000n}`);
    url.searchParams.set('limit', String(step.limit));
    url.searchParams.set('direction', 'backward');
    let res;
    try {
      res = await sendRequest({ url, method: 'GET', headers: { accept: 'application/json', ...ctx.loki.headers }, signal: ctx.signal, timeoutMs: step.timeout, keepBytes: READ_LIMIT });
    } catch (err) {
      return fail(`Loki at ${ctx.loki.url}: ${err instanceof OutboundError ? err.message : String(err)}`);
    }
    const bodyText = res.body.text();
    if (res.statusCode < 200 || res.statusCode >= 300) {
      // Loki explains a rejected query in a plain-text body ("parse error at line 1, col 8: …").
      return fail(`Loki rejected the query (HTTP ${res.statusCode}): ${bodyText.trim().slice(0, 500) || 'no reason given'}`, { statusCode: res.statusCode });
    }
    let answer: LokiAnswer | undefined;
    try {
      answer = JSON.parse(bodyText) as LokiAnswer;
    } catch {
      answer = undefined;
    }
    if (answer?.status !== 'success' || answer.data?.resultType !== 'streams' || !Array.isArray(answer.data.result)) {
      return fail(`Loki answered without log streams (resultType ${JSON.stringify(answer?.data?.resultType)}; a metric query is not a log query)`, { statusCode: res.statusCode });
    }
    const streams = answer.data.result;
    const differing = differingLabels(streams.map((s) => s.stream));
    const lines: LokiLine[] = streams
      .flatMap((s) => s.values.map(([ts, line]) => ({ timestampNs: ts, time: nsToIso(ts), labels: pick(s.stream, differing), line })))
      .sort((a, b) => compareNs(b.timestampNs, a.timestampNs))
      .slice(0, step.limit);
    const rendered = lines.length === 0 ? ['(no matching lines)'] : lines.map((l) => `${l.time} ${formatLabels(l.labels)}${l.line}`);
    const { text, truncated } = redactAndCap(rendered.join('\n'), step.max_output, ctx.redactor);
    return { ok: true, output: text, statusCode: res.statusCode, value: ctx.redactor.redactDeep(lines), durationMs: performance.now() - started, truncated };
  },
};

/** Label names whose value is not the same in every stream. */
export function differingLabels(streams: Array<Record<string, string>>): string[] {
  const names = new Set(streams.flatMap((s) => Object.keys(s)));
  return [...names].filter((n) => new Set(streams.map((s) => s[n])).size > 1).sort();
}

function pick(labels: Record<string, string>, names: string[]): Record<string, string> {
  return Object.fromEntries(names.filter((n) => labels[n] !== undefined).map((n) => [n, labels[n]!]));
}

function formatLabels(labels: Record<string, string>): string {
  const pairs = Object.entries(labels).map(([k, v]) => `${k}=${JSON.stringify(v)}`);
  return pairs.length ? `{${pairs.join(', ')}} ` : '';
}

function compareNs(a: string, b: string): number {
  const x = BigInt(a);
  const y = BigInt(b);
  return x < y ? -1 : x > y ? 1 : 0;
}

/** Nanosecond precision is kept in the value; the shown time has milliseconds. */
function nsToIso(ns: string): string {
  return new Date(Number(BigInt(ns) / 1_000_000n)).toISOString();
}
