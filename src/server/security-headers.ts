import fastifyHelmet from '@fastify/helmet';
import Fastify, { type FastifyInstance } from 'fastify';

/**
 * The security headers every answer carries, in two sets computed once. Documents (the dashboard, the
 * status page, the API explorer) get helmet's: @fastify/helmet rebuilds them (parsing the CSP directives)
 * on every request, which was a third of the CPU of an OFREP evaluation; they do not depend on the
 * request, so one answer of a throwaway instance gives them all. Data (JSON answers: the API, OFREP,
 * errors) gets the few that mean something for a body no browser renders as a page — nothing in it may
 * load, run or be framed, it is not sniffed into another type and not read by other sites — as OWASP's
 * REST Security Cheat Sheet lists them. Helmet's others (DNS prefetch, IE's download options, Flash's
 * cross-domain policies, opener and agent-cluster isolation) only apply to documents; at tens of
 * thousands of OFREP evaluations a second their ~500 bytes were most of what Medic adds to a bare route.
 */

const HELMET_OPTIONS = {
  contentSecurityPolicy: {
    directives: {
      defaultSrc: ["'self'"],
      scriptSrc: ["'self'"],
      styleSrc: ["'self'", "'unsafe-inline'"],
      imgSrc: ["'self'", 'data:'],
      connectSrc: ["'self'"],
      frameAncestors: ["'none'"],
      upgradeInsecureRequests: null,
    },
  },
  crossOriginEmbedderPolicy: false,
  hsts: false,
} as const;

/** Flat name, value, name, value, …: walked without allocating, and what `writeHead` takes as it is. */
export type SecurityHeaders = readonly string[];

/** For answers that are data: a CSP that allows nothing, not framed, not sniffed, not for other sites, no referrer. */
export const DATA_SECURITY_HEADERS: SecurityHeaders = Object.freeze([
  'content-security-policy', "default-src 'none'; frame-ancestors 'none'",
  'x-content-type-options', 'nosniff',
  'x-frame-options', 'DENY',
  'cross-origin-resource-policy', 'same-origin',
  'referrer-policy', 'no-referrer',
]);

/** Helmet's headers, for documents. */
export async function documentSecurityHeaders(): Promise<SecurityHeaders> {
  const probe = Fastify({ logger: false });
  await probe.register(fastifyHelmet, HELMET_OPTIONS);
  probe.get('/', async () => '');
  const res = await probe.inject({ method: 'GET', url: '/' });
  await probe.close();
  const out: string[] = [];
  for (const [name, value] of Object.entries(res.headers)) {
    if (['content-type', 'content-length', 'date', 'connection', 'keep-alive'].includes(name)) continue;
    if (typeof value === 'string') out.push(name, value);
  }
  return Object.freeze(out);
}

/** Adds them to every answer Fastify sends (answers a route writes itself add them on their own: json-answer.ts). */
export function installSecurityHeaders(app: FastifyInstance, document: SecurityHeaders): void {
  // A callback hook: an async one costs every answer a promise and a microtask turn (see bench/flags.ts).
  app.addHook('onSend', (_request, reply, payload, done) => {
    // Set by then: Fastify types a serialized answer before its onSend hooks run.
    const type = reply.getHeader('content-type');
    const headers = typeof type === 'string' && type.includes('json') ? DATA_SECURITY_HEADERS : document;
    // reply.headers(object) would list the object's keys on every answer.
    for (let i = 0; i < headers.length; i += 2) reply.header(headers[i]!, headers[i + 1]);
    done(null, payload);
  });
}
