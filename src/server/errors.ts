import { STATUS_CODES } from 'node:http';
import createError from '@fastify/error';
import type { FastifyError, FastifyInstance } from 'fastify';
import { hasZodFastifySchemaValidationErrors } from 'fastify-type-provider-zod';
import type { Redactor } from '../config/index.js';
import { IngestError } from '../detect/ingest/index.js';
import { IncidentActionError } from '../incidents/index.js';
import { FlagChangeError } from '../resolve/flags/index.js';

/**
 * One error shape for every answer that is not a success: `{ error, message, issues? }`, `error` being
 * the status text (node:http's STATUS_CODES). Bad input is a 400 that says which field and why; anything
 * unexpected is a 500 whose details stay in the log.
 *
 * The errors routes throw are made by @fastify/error, the factory Fastify makes its own errors with
 * (FST_ERR_CTP_BODY_TOO_LARGE, …): each carries its status code, so ours and Fastify's are answered the
 * same way.
 */

export interface Issue {
  path: string;
  message: string;
}

export type HttpError = FastifyError & { statusCode: number; issues?: Issue[] };

const BadRequest = createError<'MEDIC_BAD_REQUEST', 400, [string]>('MEDIC_BAD_REQUEST', '%s', 400);
const Unauthorized = createError<'MEDIC_UNAUTHORIZED', 401, [string]>('MEDIC_UNAUTHORIZED', '%s', 401);
const Forbidden = createError<'MEDIC_FORBIDDEN', 403, [string]>('MEDIC_FORBIDDEN', '%s', 403);
const NotFound = createError<'MEDIC_NOT_FOUND', 404, [string]>('MEDIC_NOT_FOUND', '%s', 404);
const Conflict = createError<'MEDIC_CONFLICT', 409, [string]>('MEDIC_CONFLICT', '%s', 409);
const TooManyRequests = createError<'MEDIC_TOO_MANY_REQUESTS', 429, [string]>('MEDIC_TOO_MANY_REQUESTS', '%s', 429);
/** Thrown while parsing a body, before any route sees it (input.ts). */
export const JsonTooDeep = createError<'MEDIC_JSON_TOO_DEEP', 400, [number]>('MEDIC_JSON_TOO_DEEP', 'the request body is JSON nested deeper than %d levels, the most Medic accepts', 400);

export const badRequest = (message: string, issues?: Issue[]): HttpError => Object.assign(new BadRequest(message), issues ? { issues } : {});
export const unauthorized = (message: string): HttpError => new Unauthorized(message);
export const forbidden = (message: string): HttpError => new Forbidden(message);
export const notFound = (message: string): HttpError => new NotFound(message);
export const conflict = (message: string): HttpError => new Conflict(message);
export const tooManyRequests = (message: string): HttpError => new TooManyRequests(message);

/**
 * The core's errors that are the client's doing, as HTTP errors: bad input (400), no such thing (404),
 * not in a state that allows it (409). The core knows nothing of HTTP (ESLint keeps it so).
 */
function fromCore(err: unknown): HttpError | undefined {
  if (err instanceof IngestError) return badRequest(err.message, err.issues);
  if (err instanceof IncidentActionError) return err.kind === 'not_found' ? notFound(err.message) : conflict(err.message);
  if (err instanceof FlagChangeError) return err.kind === 'not_found' ? notFound(err.message) : badRequest(err.message);
  return undefined;
}

const isClientError = (err: FastifyError): err is HttpError => err.statusCode !== undefined && err.statusCode >= 400 && err.statusCode < 500;

export interface ErrorHandlerOptions {
  /** Whether an error means the database is unreachable (StoreDialect.isUnavailable): a 503, not a 500. */
  isUnavailable?: (err: unknown) => boolean;
}

export function installErrorHandler(app: FastifyInstance, redactor: Redactor, options: ErrorHandlerOptions = {}): void {
  app.setErrorHandler((thrown: FastifyError, request, reply) => {
    if (hasZodFastifySchemaValidationErrors(thrown)) {
      const issues = thrown.validation.map((v) => ({
        path: [v.instancePath.replace(/^\//, '').replace(/\//g, '.')].filter(Boolean).join('') || (thrown.validationContext ?? 'body'),
        message: v.message ?? 'invalid',
      }));
      const first = issues[0];
      return reply.code(400).send({
        error: STATUS_CODES[400],
        message: first ? `${thrown.validationContext ?? 'body'}${first.path && first.path !== thrown.validationContext ? `.${first.path}` : ''}: ${first.message}` : 'invalid request',
        issues,
      });
    }
    // Ours, the core's, and Fastify's own 4xx (malformed JSON, body too large, wrong content type).
    const err = fromCore(thrown) ?? thrown;
    if (isClientError(err)) {
      return reply.code(err.statusCode).send({ error: STATUS_CODES[err.statusCode] ?? 'Error', message: redactor.redact(err.message), ...(err.issues ? { issues: err.issues } : {}) });
    }
    // The database is restarting or out of reach: nothing was recorded, and the same request will work
    // again shortly. Alertmanager and the other senders retry on a 5xx; Retry-After says when.
    if (options.isUnavailable?.(err)) {
      request.log.warn({ err: err.message, url: request.url.split('?')[0] }, 'request failed: the database is unavailable');
      return reply.code(503).header('retry-after', '1').send({ error: STATUS_CODES[503], message: 'the database is unavailable; retry shortly' });
    }
    request.log.error({ err }, 'request failed');
    return reply.code(500).send({ error: STATUS_CODES[500], message: 'internal error (see the server log)' });
  });

  app.setNotFoundHandler((request, reply) => {
    reply.code(404).send({ error: STATUS_CODES[404], message: `no route ${request.method} ${request.url.split('?')[0]}` });
  });
}
