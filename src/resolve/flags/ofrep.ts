import { createHash } from 'node:crypto';
import { contextProblem, type Evaluation, type EvaluationErrorCode, type EvaluationReason } from './evaluate.js';
import type { FlagMetadata } from './state.js';

/**
 * Evaluations as the OpenFeature Remote Evaluation Protocol (OFREP) answers them, following its OpenAPI
 * document (github.com/open-feature/protocol, service/openapi.yaml):
 *
 *   POST /ofrep/v1/evaluate/flags/{key}  200 evaluationSuccess {key, value, reason, variant, metadata}
 *                                        400 evaluationFailure {key, errorCode, errorDetails}
 *                                            (PARSE_ERROR, TARGETING_KEY_MISSING, INVALID_CONTEXT, GENERAL)
 *                                        404 flagNotFound      {key, errorCode: FLAG_NOT_FOUND, errorDetails}
 *   POST /ofrep/v1/evaluate/flags        200 {flags: [evaluationSuccess | evaluationFailure, …]} with an ETag
 *                                        400 bulkEvaluationFailure {errorCode, errorDetails}
 *   GET  /ofrep/v1/configuration         200 configurationResponse {name, capabilities}
 *
 * Only the bodies and status codes live here; the HTTP routes are thin adapters over them.
 */

export interface OfrepEvaluationSuccess {
  key: string;
  value: unknown;
  reason: EvaluationReason;
  variant: string;
  metadata: FlagMetadata;
}

export interface OfrepEvaluationFailure {
  key: string;
  errorCode: Exclude<EvaluationErrorCode, 'FLAG_NOT_FOUND'>;
  errorDetails: string;
}

export interface OfrepFlagNotFound {
  key: string;
  errorCode: 'FLAG_NOT_FOUND';
  errorDetails: string;
}

export interface OfrepBulkEvaluationSuccess {
  flags: (OfrepEvaluationSuccess | OfrepEvaluationFailure)[];
}

export interface OfrepBulkEvaluationFailure {
  errorCode: Exclude<EvaluationErrorCode, 'FLAG_NOT_FOUND'>;
  errorDetails: string;
}

export type OfrepFlagType = 'boolean' | 'string' | 'int' | 'float' | 'object';

export interface OfrepConfigurationResponse {
  name: string;
  capabilities: {
    cacheInvalidation: { polling: { enabled: boolean; minPollingIntervalMs: number } };
    flagEvaluation: { supportedTypes: OfrepFlagType[] };
    caching: { enabled: boolean; ttl: number };
  };
}

export interface OfrepResponse<B> {
  status: number;
  body: B;
}

// Evaluations are shared, frozen objects (see evaluate.ts), so their bodies can be too: mapping one
// allocates only the first time.
const bodies = new WeakMap<Evaluation, OfrepEvaluationSuccess | OfrepEvaluationFailure | OfrepFlagNotFound>();

function body(e: Evaluation): OfrepEvaluationSuccess | OfrepEvaluationFailure | OfrepFlagNotFound {
  let b = bodies.get(e);
  if (!b) {
    b = e.ok
      ? Object.freeze({ key: e.key, value: e.value, reason: e.reason, variant: e.variant, metadata: e.metadata })
      : (Object.freeze({ key: e.key, errorCode: e.errorCode, errorDetails: e.errorDetails }) as OfrepEvaluationFailure | OfrepFlagNotFound);
    bodies.set(e, b);
  }
  return b;
}

/** The response to a single-flag evaluation. */
export function ofrepEvaluation(e: Evaluation): OfrepResponse<OfrepEvaluationSuccess | OfrepEvaluationFailure | OfrepFlagNotFound> {
  return { status: e.ok ? 200 : e.errorCode === 'FLAG_NOT_FOUND' ? 404 : 400, body: body(e) };
}

export interface OfrepAnswer {
  readonly status: number;
  /** The body as JSON text. */
  readonly json: string;
}

const answers = new WeakMap<Evaluation, OfrepAnswer>();

/**
 * The response to a single-flag evaluation as status and JSON text: made once per shared result, so an
 * evaluation's answer costs one lookup.
 */
export function ofrepEvaluationAnswer(e: Evaluation): OfrepAnswer {
  let answer = answers.get(e);
  if (!answer) {
    const res = ofrepEvaluation(e);
    answer = Object.freeze({ status: res.status, json: ofrepJson(res.body) });
    answers.set(e, answer);
  }
  return answer;
}

/**
 * The response to a bulk evaluation: every flag's result, successes and failures alike. A flag that
 * does not exist has no place in "all flags" (and the bulk schema has no FLAG_NOT_FOUND), so it is left out.
 */
export function ofrepBulk(evaluations: Iterable<Evaluation>): OfrepResponse<OfrepBulkEvaluationSuccess> {
  const flags: OfrepBulkEvaluationSuccess['flags'] = [];
  for (const e of evaluations) if (e.ok || e.errorCode !== 'FLAG_NOT_FOUND') flags.push(body(e) as OfrepEvaluationSuccess | OfrepEvaluationFailure);
  return { status: 200, body: { flags } };
}

/** A bulk request that could not be evaluated at all (e.g. its context is not an object). */
export function ofrepBulkFailure(errorCode: OfrepBulkEvaluationFailure['errorCode'], errorDetails: string): OfrepResponse<OfrepBulkEvaluationFailure> {
  return { status: 400, body: { errorCode, errorDetails } };
}

export type OfrepRequest =
  | { ok: true; context: Record<string, unknown> }
  | { ok: false; errorCode: 'PARSE_ERROR' | 'INVALID_CONTEXT'; errorDetails: string };

/**
 * Reads an evaluation request body `{ context?: {...} }`. No body or no context is an empty context; a
 * body that is not an object cannot be parsed as a request (PARSE_ERROR); a context that is not an object,
 * or whose targetingKey is not a string, is INVALID_CONTEXT.
 */
export function readOfrepRequest(requestBody: unknown): OfrepRequest {
  if (requestBody === undefined || requestBody === null || requestBody === '') return { ok: true, context: {} };
  if (typeof requestBody !== 'object' || Array.isArray(requestBody)) {
    return { ok: false, errorCode: 'PARSE_ERROR', errorDetails: 'the request body must be a JSON object such as {"context": {"targetingKey": "user-1"}}' };
  }
  const context = (requestBody as { context?: unknown }).context ?? {};
  const problem = contextProblem(context);
  if (problem) return { ok: false, errorCode: 'INVALID_CONTEXT', errorDetails: problem };
  return { ok: true, context: context as Record<string, unknown> };
}

export interface OfrepConfigurationOptions {
  /** Fastest polling a client provider may do. Short by default: a kill switch should reach clients in seconds. */
  minPollingIntervalMs?: number;
  /**
   * Whether server providers may cache evaluations, and for how long. Off by default: a flag that
   * remediation turns off during an incident must take effect at once, and an evaluation is cheap.
   */
  cacheTtlMs?: number;
}

/** The `/ofrep/v1/configuration` response. */
export function ofrepConfiguration(options: OfrepConfigurationOptions = {}): OfrepResponse<OfrepConfigurationResponse> {
  const ttl = options.cacheTtlMs ?? 0;
  return {
    status: 200,
    body: {
      name: 'medic',
      capabilities: {
        cacheInvalidation: { polling: { enabled: true, minPollingIntervalMs: options.minPollingIntervalMs ?? 1000 } },
        flagEvaluation: { supportedTypes: ['boolean', 'string', 'int', 'float', 'object'] },
        caching: { enabled: ttl > 0, ttl },
      },
    },
  };
}

/** A strong ETag for a response body, so a polling client gets 304 Not Modified while nothing changed. */
export function ofrepEtag(responseBody: unknown): string {
  return ofrepEtagOfJson(JSON.stringify(responseBody));
}

/** The same ETag, from the body's JSON text (when it is serialized anyway). */
export function ofrepEtagOfJson(json: string): string {
  return `"${createHash('sha1').update(json).digest('base64url')}"`;
}

/**
 * Whether an `If-None-Match` header matches an ETag: `*`, or a list that holds it. The comparison is
 * weak, as RFC 9110 says for If-None-Match, so `W/"x"` matches `"x"`.
 */
export function etagMatches(ifNoneMatch: string | undefined, etag: string): boolean {
  if (!ifNoneMatch) return false;
  const opaque = etag.replace(/^W\//, '');
  for (const candidate of ifNoneMatch.split(',')) {
    const c = candidate.trim();
    if (c === '*' || c.replace(/^W\//, '') === opaque) return true;
  }
  return false;
}

// JSON text of the shared, frozen bodies, made once: serializing is most of an evaluation's cost.
const texts = new WeakMap<object, string>();

/** A response body as JSON text, cached for the shared bodies single-flag evaluations return. */
export function ofrepJson(responseBody: object): string {
  let text = texts.get(responseBody);
  if (text === undefined) {
    text = JSON.stringify(responseBody);
    if (Object.isFrozen(responseBody)) texts.set(responseBody, text);
  }
  return text;
}
