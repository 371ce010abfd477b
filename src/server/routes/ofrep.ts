import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import {
  etagMatches,
  ofrepBulk,
  ofrepBulkFailure,
  ofrepConfiguration,
  ofrepEtagOfJson,
  ofrepEvaluationAnswer,
  ofrepJson,
  readOfrepRequest,
} from '../../resolve/flags/index.js';
import type { AppContext } from '../context.js';
import { boundedJsonParser } from '../input.js';
import { jsonAnswerWriter } from '../json-answer.js';
import * as s from '../ofrep-schemas.js';

/**
 * OpenFeature Remote Evaluation Protocol endpoints, so applications evaluate Medic's flags with the
 * standard OpenFeature SDKs and their OFREP provider. The bodies and status codes come from
 * resolve/flags/ofrep.ts; this file only speaks HTTP.
 *
 * Evaluation is the hot path: flags are evaluated from memory, answers are shared objects whose JSON text
 * and headers are made once (json-answer.ts), and the routes skip schema validation and serialization
 * (their zod schemas only document them). A token of the `flags` role is enough (any other role may evaluate too), sent as `X-API-Key`
 * (what OFREP providers send) or as a bearer token.
 */

const JSON_TYPE = 'application/json; charset=utf-8';

// The zod schemas document these routes; a validator that accepts everything keeps them off the hot path.
const documentOnly = () => () => true;

export async function ofrepRoutes(app: FastifyInstance, ctx: AppContext): Promise<void> {
  await app.register(async (ofrep) => {
    installOfrepParsing(ofrep);
    const answer = jsonAnswerWriter();

    ofrep.post(
      '/ofrep/v1/evaluate/flags/:key',
      {
        config: { access: 'flags' },
        validatorCompiler: documentOnly,
        schema: {
          summary: 'Evaluate one flag (OFREP)',
          description: 'A disabled boolean flag answers value false with reason DISABLED. 404 FLAG_NOT_FOUND for an unknown key; 400 with an errorCode for a bad context, a missing targeting key a rule needs, or a definition that cannot be evaluated.',
          tags: ['ofrep'],
          params: z.object({ key: z.string() }),
          body: s.ofrepRequest.optional(),
          response: { 200: s.ofrepSuccess, 400: s.ofrepFailure, 404: s.ofrepNotFound },
        },
      },
      (request, reply) => {
        const { key } = request.params as { key: string };
        const req = readOfrepRequest(request.body);
        if (!req.ok) return send(reply, 400, ofrepJson({ key, errorCode: req.errorCode, errorDetails: req.errorDetails }));
        return answer(reply, ofrepEvaluationAnswer(ctx.flags.evaluate(key, req.context)));
      },
    );

    ofrep.post(
      '/ofrep/v1/evaluate/flags',
      {
        config: { access: 'flags' },
        validatorCompiler: documentOnly,
        schema: {
          summary: 'Evaluate every flag (OFREP bulk)',
          description: 'Answers with an ETag; send it back as If-None-Match to get 304 Not Modified while no flag changed for this context.',
          tags: ['ofrep'],
          body: s.ofrepRequest.optional(),
          headers: z.object({ 'if-none-match': z.string().optional() }),
          response: { 200: s.ofrepBulkSuccess, 400: s.ofrepBulkFailure },
        },
      },
      (request, reply) => {
        const req = readOfrepRequest(request.body);
        if (!req.ok) {
          const failure = ofrepBulkFailure(req.errorCode, req.errorDetails);
          return send(reply, failure.status, JSON.stringify(failure.body));
        }
        const json = JSON.stringify(ofrepBulk(ctx.flags.evaluateAll(req.context)).body);
        const etag = ofrepEtagOfJson(json);
        reply.header('etag', etag);
        if (etagMatches(request.headers['if-none-match'], etag)) return notModified(reply);
        return send(reply, 200, json);
      },
    );

    const configuration = { status: 200, json: JSON.stringify(ofrepConfiguration().body) };
    ofrep.get(
      '/ofrep/v1/configuration',
      {
        config: { access: 'flags' },
        schema: { summary: 'What this OFREP server supports (polling, caching, flag types)', tags: ['ofrep'], response: { 200: s.ofrepConfigurationResponse } },
      },
      (_request, reply) => answer(reply, configuration),
    );
  });
}

function send(reply: FastifyReply, status: number, json: string): FastifyReply {
  return reply.code(status).header('content-type', JSON_TYPE).send(json);
}

function notModified(reply: FastifyReply): FastifyReply {
  return reply.code(304).send();
}

/**
 * Request bodies the OFREP way: an empty body is an empty context (not Fastify's "empty JSON body"
 * error), and a body that is not JSON (or nested too deep) is a 400 PARSE_ERROR in the protocol's shape.
 * JSON is still parsed by the app's one parser (input.ts).
 */
function installOfrepParsing(ofrep: FastifyInstance): void {
  const parseJson = boundedJsonParser(ofrep);
  ofrep.removeContentTypeParser('application/json');
  ofrep.addContentTypeParser('application/json', { parseAs: 'string' }, (request, body, done) => {
    if (body === '') return done(null, undefined);
    parseJson(request, body as string, done);
  });
  ofrep.setErrorHandler((err: FastifyError, request: FastifyRequest, reply: FastifyReply) => {
    if (err.statusCode !== 400) throw err; // the app's handler answers the rest (413, 415, 500)
    const errorDetails = err.code === 'FST_ERR_CTP_INVALID_JSON_BODY' ? 'the request body is not valid JSON' : err.message;
    const key = (request.params as { key?: string } | undefined)?.key;
    return send(reply, 400, JSON.stringify(key === undefined ? { errorCode: 'PARSE_ERROR', errorDetails } : { key, errorCode: 'PARSE_ERROR', errorDetails }));
  });
}
