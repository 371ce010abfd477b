import fastifyHelmet from '@fastify/helmet';
import Fastify, { type FastifyInstance } from 'fastify';

/**
 * The security headers every answer carries (API, errors and the dashboard alike), computed once:
 * @fastify/helmet rebuilds them (parsing the CSP directives) on every request, which was a third of the
 * CPU of an OFREP evaluation. They do not depend on the request, so one answer of a throwaway instance
 * gives them all.
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

export async function securityHeaders(): Promise<SecurityHeaders> {
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
export function installSecurityHeaders(app: FastifyInstance, headers: SecurityHeaders): void {
  app.decorate('securityHeaders', headers);
  // A callback hook: an async one costs every answer a promise and a microtask turn (see bench/flags.ts).
  app.addHook('onSend', (_request, reply, payload, done) => {
    // reply.headers(object) would list the object's keys on every answer.
    for (let i = 0; i < headers.length; i += 2) reply.header(headers[i]!, headers[i + 1]);
    done(null, payload);
  });
}

declare module 'fastify' {
  interface FastifyInstance {
    /** The security headers of every answer, flat (see security-headers.ts). */
    securityHeaders: SecurityHeaders;
  }
}
