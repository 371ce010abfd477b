import type { FastifyError, FastifyInstance } from 'fastify';
import { hasZodFastifySchemaValidationErrors } from 'fastify-type-provider-zod';
import type { Redactor } from '../config/index.js';
import { IngestError } from '../detect/ingest/index.js';
import { IncidentActionError } from '../incidents/index.js';
import { FlagChangeError } from '../resolve/flags/index.js';

/**
 * One error shape for every answer that is not a success: `{ error, message, issues? }`. Bad input is a
 * 400 that says which field and why; anything unexpected is a 500 whose details stay in the log.
 */
export class HttpError extends Error {
  constructor(
    readonly statusCode: number,
    message: string,
    readonly issues?: { path: string; message: string }[],
  ) {
    super(message);
  }
}

export const badRequest = (message: string, issues?: { path: string; message: string }[]) => new HttpError(400, message, issues);
export const notFound = (message: string) => new HttpError(404, message);
export const conflict = (message: string) => new HttpError(409, message);

const STATUS_TEXT: Record<number, string> = {
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
  409: 'Conflict',
  413: 'Payload Too Large',
  415: 'Unsupported Media Type',
  429: 'Too Many Requests',
  500: 'Internal Server Error',
  503: 'Service Unavailable',
};

export interface ErrorHandlerOptions {
  /** Whether an error means the database is unreachable (StoreDialect.isUnavailable): a 503, not a 500. */
  isUnavailable?: (err: unknown) => boolean;
}

export function installErrorHandler(app: FastifyInstance, redactor: Redactor, options: ErrorHandlerOptions = {}): void {
  app.setErrorHandler((err: FastifyError, request, reply) => {
    if (hasZodFastifySchemaValidationErrors(err)) {
      const issues = err.validation.map((v) => ({
        path: [v.instancePath.replace(/^\//, '').replace(/\//g, '.')].filter(Boolean).join('') || (err.validationContext ?? 'body'),
        message: v.message ?? 'invalid',
      }));
      const first = issues[0];
      return reply.code(400).send({
        error: 'Bad Request',
        message: first ? `${err.validationContext ?? 'body'}${first.path && first.path !== err.validationContext ? `.${first.path}` : ''}: ${first.message}` : 'invalid request',
        issues,
      });
    }
    // Core errors that mean "bad request", "no such thing" (404) or "not in a state that allows it" (409).
    if (err instanceof IngestError) {
      return reply.code(400).send({ error: 'Bad Request', message: redactor.redact(err.message), issues: err.issues });
    }
    if (err instanceof IncidentActionError) {
      const code = err.kind === 'not_found' ? 404 : 409;
      return reply.code(code).send({ error: STATUS_TEXT[code], message: redactor.redact(err.message) });
    }
    if (err instanceof FlagChangeError) {
      const status = err.kind === 'not_found' ? 404 : 400;
      return reply.code(status).send({ error: STATUS_TEXT[status], message: redactor.redact(err.message) });
    }
    if (err instanceof HttpError) {
      return reply.code(err.statusCode).send({ error: STATUS_TEXT[err.statusCode] ?? 'Error', message: redactor.redact(err.message), ...(err.issues ? { issues: err.issues } : {}) });
    }
    // The database is restarting or out of reach: nothing was recorded, and the same request will work
    // again shortly. Alertmanager and the other senders retry on a 5xx; Retry-After says when.
    if (options.isUnavailable?.(err)) {
      request.log.warn({ err: err.message, url: request.url.split('?')[0] }, 'request failed: the database is unavailable');
      return reply.code(503).header('retry-after', '1').send({ error: STATUS_TEXT[503], message: 'the database is unavailable; retry shortly' });
    }
    const status = err.statusCode && err.statusCode >= 400 && err.statusCode < 500 ? err.statusCode : 500;
    if (status === 500) {
      request.log.error({ err }, 'request failed');
      return reply.code(500).send({ error: STATUS_TEXT[500], message: 'internal error (see the server log)' });
    }
    // Fastify's own 4xx: malformed JSON, body too large, wrong content type.
    return reply.code(status).send({ error: STATUS_TEXT[status] ?? 'Error', message: redactor.redact(err.message) });
  });

  app.setNotFoundHandler((request, reply) => {
    reply.code(404).send({ error: 'Not Found', message: `no route ${request.method} ${request.url.split('?')[0]}` });
  });
}
