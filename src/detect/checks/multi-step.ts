import type { JourneyStep, MultiStepMonitorConfig } from '../../config/index.js';
import { describeError } from '../../shared/network-error.js';
import type { ResponseBody } from './body.js';
import { ms, type AssertionResult, type CheckOutcome, type CheckType, type StepResult, type Timings } from './check.js';
import { startDeadline } from './deadline.js';
import { sendHttp, type HttpExchange } from './http-client.js';
import { judgeExchange } from './http.js';
import { jsonValueText, queryJson } from './json-path.js';
import { buildRequest } from './request.js';
import { maskIfSecret } from './secrets.js';
import { newTraceId } from './trace.js';

/**
 * `type: multi-step` — a user journey: steps run in order, each one request with its own assertions,
 * and the journey stops at the first failing step (later steps depend on it: no token, no dashboard).
 * Values flow forward two ways: `use_auth_from_step: N` sends step N's token as a bearer token, and
 * `extract` saves values for `{{name}}` in later URLs, headers and bodies. The monitor's `timeout`
 * bounds the whole journey; a step's own `timeout` bounds that step within it. All steps share one
 * trace id, so the journey is one trace in the tracing backend.
 */

export const DEFAULT_AUTH_PATH = '$.token';

interface JourneyState {
  traceId: string;
  signal: AbortSignal;
  vars: Map<string, string>;
  /** Response bodies of the steps run so far, by 0-based index. */
  bodies: ResponseBody[];
  redact?: (text: string) => string;
}

interface StepRun {
  result: StepResult;
  exchange?: HttpExchange;
}

function stepName(step: JourneyStep, index: number): string {
  return step.name ?? `step ${index + 1}`;
}

function stepFailure(name: string, url: string, error: string, started: number): StepRun {
  return { result: { name, status: 'down', error, networkError: false, timings: { total_ms: ms(performance.now() - started) }, assertions: [], url } };
}

/** The bearer token for `use_auth_from_step`, or an error saying exactly why there is none. */
function findToken(step: JourneyStep, index: number, steps: readonly JourneyStep[], state: JourneyState): { token: string } | { error: string } {
  const from = step.use_auth_from_step!;
  if (from > index) return { error: `use_auth_from_step: ${from} must name an earlier step (this is step ${index + 1})` };
  const source = `step ${from} (${JSON.stringify(stepName(steps[from - 1]!, from - 1))})`;
  const path = step.auth_json_path ?? DEFAULT_AUTH_PATH;
  const parsed = state.bodies[from - 1]!.json();
  if (!parsed.ok) return { error: `no token for use_auth_from_step: ${source} did not return JSON (${parsed.error})` };
  let values: unknown[];
  try {
    values = queryJson(parsed.value, path);
  } catch (err) {
    return { error: `invalid auth_json_path ${path}: ${(err as Error).message}` };
  }
  const token = values[0];
  if (token === undefined || token === null || token === '' || typeof token === 'object') {
    return { error: `no token at ${path} in the response of ${source}` };
  }
  return { token: jsonValueText(token) };
}

/** Saves `extract` values; each becomes an assertion so a missing one explains the failure. */
function extractValues(step: JourneyStep, exchange: HttpExchange, state: JourneyState, stepNumber: number): AssertionResult[] {
  const results: AssertionResult[] = [];
  for (const [name, path] of Object.entries(step.extract ?? {})) {
    const label = `extract ${name}`;
    const parsed = exchange.body.json();
    let values: unknown[] = [];
    let problem: string | undefined;
    if (!parsed.ok) problem = parsed.error;
    else {
      try {
        values = queryJson(parsed.value, path);
      } catch (err) {
        problem = `invalid JSONPath: ${(err as Error).message}`;
      }
    }
    const value = values[0];
    if (problem !== undefined || value === undefined) {
      results.push({ name: label, pass: false, expected: `a value at ${path}`, actual: problem ?? 'no match', step: stepNumber });
      continue;
    }
    const text = jsonValueText(value);
    state.vars.set(name, text);
    results.push({ name: label, pass: true, expected: `a value at ${path}`, actual: maskIfSecret(`${name} ${path}`, text), step: stepNumber });
  }
  return results;
}

async function runStep(step: JourneyStep, index: number, steps: readonly JourneyStep[], state: JourneyState): Promise<StepRun> {
  const started = performance.now();
  const name = stepName(step, index);
  let request;
  try {
    request = buildRequest(step, state.traceId, state.vars);
  } catch (err) {
    return stepFailure(name, step.url, describeError(err), started);
  }
  if (step.use_auth_from_step !== undefined) {
    const found = findToken(step, index, steps, state);
    if ('error' in found) return stepFailure(name, request.url, found.error, started);
    for (const key of Object.keys(request.headers)) if (key.toLowerCase() === 'authorization') delete request.headers[key];
    request.headers.authorization = `Bearer ${found.token}`;
  }

  const deadline = step.timeout !== undefined ? startDeadline(state.signal, step.timeout) : undefined;
  let exchange: HttpExchange;
  try {
    exchange = await sendHttp(request, deadline?.signal ?? state.signal);
  } finally {
    deadline?.dispose();
  }
  state.bodies[index] = exchange.body;
  const verdict = judgeExchange(exchange, step, state.redact);
  const assertions: AssertionResult[] = verdict.assertions.map((a) => ({ ...a, step: index + 1 }));
  let { status, error } = verdict;
  if (status === 'up') {
    const extracted = extractValues(step, exchange, state, index + 1);
    assertions.push(...extracted);
    const missing = extracted.find((a) => !a.pass);
    if (missing) {
      status = 'down';
      error = `${missing.name}: ${missing.expected} not found (${missing.actual})`;
    }
  }
  const result: StepResult = { name, status, networkError: verdict.networkError, timings: exchange.timings, assertions, url: exchange.url, redirects: exchange.redirects };
  if (error !== undefined) result.error = error;
  if (exchange.statusCode !== undefined) result.statusCode = exchange.statusCode;
  return { result, exchange };
}

function journeyTimings(steps: StepResult[], totalMs: number): Timings {
  const timings: Timings = { total_ms: totalMs };
  for (const key of ['dns_ms', 'connect_ms', 'tls_ms'] as const) {
    for (const s of steps) if (s.timings[key] !== undefined) timings[key] = ms((timings[key] ?? 0) + s.timings[key]);
  }
  return timings;
}

export const multiStepCheck: CheckType<MultiStepMonitorConfig> = {
  type: 'multi-step',
  async run(monitor, ctx) {
    const started = performance.now();
    const traceId = newTraceId();
    const deadline = startDeadline(ctx.signal, monitor.timeout);
    const state: JourneyState = { traceId, signal: deadline.signal, vars: new Map(), bodies: [], ...(ctx.redact ? { redact: ctx.redact } : {}) };
    const steps: StepResult[] = [];
    try {
      for (let i = 0; i < monitor.steps.length; i++) {
        const { result } = await runStep(monitor.steps[i]!, i, monitor.steps, state);
        steps.push(result);
        if (result.status === 'down') break;
      }
    } finally {
      deadline.dispose();
    }

    const timings = journeyTimings(steps, ms(performance.now() - started));
    const measurements: Record<string, number> = { total_ms: timings.total_ms, steps_passed: steps.filter((s) => s.status === 'up').length };
    for (const key of ['dns_ms', 'connect_ms', 'tls_ms'] as const) if (timings[key] !== undefined) measurements[key] = timings[key];
    steps.forEach((s, i) => {
      measurements[`step_${i + 1}_total_ms`] = s.timings.total_ms;
      if (s.statusCode !== undefined) measurements[`step_${i + 1}_status_code`] = s.statusCode;
    });
    const failedIndex = steps.findIndex((s) => s.status === 'down');
    const failedStep = steps[failedIndex];
    const outcome: CheckOutcome = {
      status: failedStep ? 'down' : 'up',
      networkError: failedStep?.networkError ?? false,
      timings,
      assertions: steps.flatMap((s) => s.assertions),
      steps,
      traceId,
      measurements,
      attempts: 1,
    };
    if (failedStep) outcome.error = `step ${failedIndex + 1} (${JSON.stringify(failedStep.name)}): ${failedStep.error ?? 'failed'}`;
    return outcome;
  },
};
