import { JSONPath } from 'jsonpath-plus';
import { OutboundError, sendRequest } from '../../shared/http.js';
import { REDACTION_SLACK, redactAndCap } from '../../shared/output.js';
import type { StepOutput, StepRunner } from './step.js';

/**
 * `http:` — fetch a URL and show what it answered: the body, or with `json_path` just that part of it
 * (a script's `curl … | jq -r '.status.description'`). OK when the status is 2xx (and the path,
 * if given, matched something).
 */

/** A JSON body is read up to this size for `json_path`, even when far less of it is shown. */
export const JSON_PATH_READ_LIMIT = 10 * 1024 * 1024;

export const httpStepRunner: StepRunner<'http'> = {
  kind: 'http',
  async run(step, ctx) {
    const started = performance.now();
    const elapsed = () => performance.now() - started;
    const keepBytes = step.json_path ? Math.max(JSON_PATH_READ_LIMIT, step.max_output + REDACTION_SLACK) : step.max_output + REDACTION_SLACK;
    let res;
    try {
      res = await sendRequest({
        url: step.http,
        method: step.method,
        headers: step.headers,
        ...(step.body !== undefined ? { body: step.body } : {}),
        verifyTls: step.verify_tls,
        signal: ctx.signal,
        timeoutMs: step.timeout,
        keepBytes,
      });
    } catch (err) {
      const message = err instanceof OutboundError ? err.message : String(err);
      const statusCode = err instanceof OutboundError ? err.statusCode : undefined;
      return {
        ok: false,
        output: '',
        ...(statusCode !== undefined ? { statusCode } : {}),
        durationMs: elapsed(),
        error: ctx.redactor.redact(`${step.method.toUpperCase()} ${step.http}: ${message}`),
        truncated: false,
      };
    }

    const statusOk = res.statusCode >= 200 && res.statusCode < 300;
    const statusError = statusOk ? undefined : `HTTP ${res.statusCode}`;
    const whole = () => res.body.finish(step.max_output, ctx.redactor);

    if (step.json_path === undefined) {
      const { text, truncated } = whole();
      return finish({ ok: statusOk, output: text, truncated, statusCode: res.statusCode, error: statusError });
    }

    // json_path: show the extract; when there is none, show the body so people see what came back.
    const extract = extractJsonPath(res.body.overflowed ? undefined : res.body.text(), step.json_path);
    if ('error' in extract) {
      const { text, truncated } = whole();
      return finish({ ok: false, output: text, truncated, statusCode: res.statusCode, error: statusError ?? extract.error });
    }
    const rendered = typeof extract.value === 'string' ? extract.value : JSON.stringify(extract.value, null, 2);
    const { text, truncated } = redactAndCap(rendered, step.max_output, ctx.redactor);
    return finish({
      ok: statusOk,
      output: text,
      truncated,
      statusCode: res.statusCode,
      value: ctx.redactor.redactDeep(extract.value),
      error: statusError,
    });

    function finish(out: Omit<StepOutput, 'durationMs' | 'error'> & { error: string | undefined }): StepOutput {
      const { error, ...rest } = out;
      return { ...rest, durationMs: elapsed(), ...(error !== undefined ? { error: ctx.redactor.redact(error) } : {}) };
    }
  },
};

/** Applies a JSONPath to a body: one match gives that value, several give the list of them. */
export function extractJsonPath(body: string | undefined, path: string): { value: unknown } | { error: string } {
  if (body === undefined) return { error: `the body is larger than ${JSON_PATH_READ_LIMIT} bytes; json_path needs all of it` };
  let json: unknown;
  try {
    json = JSON.parse(body);
  } catch (err) {
    return { error: `json_path ${path}: the body is not JSON (${(err as Error).message})` };
  }
  let matches: unknown[];
  try {
    matches = JSONPath({ path, json: json as object, wrap: true }) as unknown[];
  } catch (err) {
    return { error: `json_path ${path}: ${(err as Error).message}` };
  }
  if (!Array.isArray(matches) || matches.length === 0) return { error: `json_path ${path} matched nothing` };
  return { value: matches.length === 1 ? matches[0] : matches };
}
