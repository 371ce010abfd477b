import type { FastifyReply } from 'fastify';
import { DATA_SECURITY_HEADERS } from './security-headers.js';

/**
 * Answers whose status and JSON text are made once and shared by many requests (OFREP evaluations),
 * written straight to the response with their headers prepared once too. Fastify's reply path would
 * rebuild the same headers for every one of them (an object of them, the onSend hook, the length of
 * the body): at tens of thousands of evaluations a second that was the largest cost Medic added to a
 * bare route (see bench/flags.ts).
 *
 * The headers are the ones Fastify would have sent: the content type, the length, and the security
 * headers of a JSON answer (security-headers.ts). Node still adds Date, Connection and Keep-Alive.
 */

export interface JsonAnswer {
  readonly status: number;
  /** The body as JSON text. */
  readonly json: string;
}

const JSON_TYPE = 'application/json; charset=utf-8';

/** Sends shared answers; the headers of each are kept as long as the answer is. */
export function jsonAnswerWriter(): (reply: FastifyReply, answer: JsonAnswer) => FastifyReply {
  const heads = new WeakMap<JsonAnswer, readonly string[]>();
  return (reply, answer) => {
    let head = heads.get(answer);
    if (!head) {
      head = Object.freeze(['content-type', JSON_TYPE, 'content-length', String(Buffer.byteLength(answer.json)), ...DATA_SECURITY_HEADERS]);
      heads.set(answer, head);
    }
    // Taken out of Fastify's hands: nothing else (no hook, no serializer) is to touch this answer.
    reply.hijack();
    reply.raw.writeHead(answer.status, head as string[]);
    reply.raw.end(answer.json);
    return reply;
  };
}
