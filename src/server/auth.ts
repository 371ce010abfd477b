import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import { findToken, findTokenById, touchToken, type TokenInfo } from '../store/index.js';
import type { AppContext } from './context.js';
import { forbidden, tooManyRequests, unauthorized } from './errors.js';
import { roleAllows, type Access } from './roles.js';
import { StreamGuard } from './stream-guard.js';
import { readStreamTicket } from './stream-ticket.js';

/**
 * Bearer-token authentication with roles. Every route must declare `config.access`; a route that
 * forgets is a startup error, not an open endpoint. Tokens come from `Authorization: Bearer`, from
 * `X-API-Key` (what OFREP clients send), or from `?token=` on the routes that allow it; the event stream
 * also takes a stream ticket (`?ticket=`, see stream-ticket.ts).
 */

/**
 * Lookups are cached briefly: OFREP evaluation is a hot path and must not hit the database. The cache
 * is also how long a revoked token may still work in a process that did not revoke it (another API
 * process on the same database, or a config reload): keep it to a couple of seconds.
 */
export const CACHE_MS = 2000;

export const authPlugin = fp(async (app: FastifyInstance, ctx: AppContext) => {
  const cache = new Map<string, { info: TokenInfo | undefined; until: number }>();
  const failures = new FailedAuthLimiter(ctx.loaded.config.auth.failed_auth_per_minute);
  const streams = new StreamGuard(ctx.store.db, ctx.logger);

  const table: { method: string; url: string; access: Access }[] = [];
  app.decorate('accessTable', table);
  app.addHook('onRoute', (route) => {
    const access = route.config?.access;
    const needsDeclaration = route.url.startsWith('/api') || route.url.startsWith('/ofrep');
    if (needsDeclaration && access === undefined) {
      throw new Error(`route ${route.method} ${route.url} declares no access level (config.access)`);
    }
    if (access !== undefined) for (const method of [route.method].flat()) if (method !== 'HEAD') table.push({ method, url: route.url, access });
  });

  app.decorate('forgetTokens', () => cache.clear());
  app.decorate('guardStream', (request: FastifyRequest, end: () => void) => {
    const access = request.routeOptions.config?.access;
    if (!request.principal || access === undefined || access === 'public') return () => {};
    return streams.add(request.principal.tokenId, access, end);
  });
  app.addHook('preClose', async () => streams.endAll());

  /** Lookups under way, by token: the requests that meet an expired entry at once share one query. */
  const inFlight = new Map<string, Promise<TokenInfo | undefined>>();
  const lookup = (token: string): Promise<TokenInfo | undefined> => {
    const now = ctx.clock.now();
    const hit = cache.get(token);
    const pending = inFlight.get(token);
    if (pending) return pending;
    const query = findToken(ctx.store.db, token)
      .then((info) => {
        if (cache.size > 10_000) cache.clear();
        cache.set(token, { info, until: now + CACHE_MS });
        // Last-used is informational; never let it slow or fail a request.
        if (info && (!hit || !hit.info)) touchToken(ctx.store.db, info.id, now).catch(() => {});
        return info;
      })
      .finally(() => inFlight.delete(token));
    inFlight.set(token, query);
    return query;
  };

  /** The caller's token, or why there is none. */
  const authenticate = async (request: FastifyRequest, token: string | undefined, now: number): Promise<TokenInfo | string> => {
    if (token) return (await lookup(token)) ?? 'unknown or revoked token';
    const ticket = request.routeOptions.config?.streamTicket === true ? queryParam(request, 'ticket') : undefined;
    if (ticket) {
      const claims = readStreamTicket(ticket, now);
      const found = claims && (await findTokenById(ctx.store.db, claims.tokenId));
      return found && claims.signedWith(found.hash) ? found.info : 'unknown, expired or revoked stream ticket';
    }
    return 'a token is required: send Authorization: Bearer <token>';
  };

  /** Lets the request through, or throws the 401, 403 or 429 it gets. */
  const admit = (request: FastifyRequest, reply: FastifyReply, access: Exclude<Access, 'public'>, now: number, info: TokenInfo | string): void => {
    if (typeof info === 'string') {
      // Only failures meet the limiter, after the token was checked: a valid token is never refused
      // because others failed from the same address (everyone behind one proxy or NAT).
      const wait = failures.blockedFor(request.ip, now);
      if (wait > 0) {
        reply.header('retry-after', String(Math.ceil(wait / 1000)));
        throw tooManyRequests('too many failed authentications from this address; try again later');
      }
      failures.record(request.ip, now);
      reply.header('www-authenticate', 'Bearer realm="medic"');
      throw unauthorized(info);
    }
    if (!roleAllows(info.role, access)) {
      const why = info.role === 'flags' ? 'a flags token may only evaluate flags (OFREP)' : `token "${info.name}" has ${info.role}`;
      throw forbidden(`this needs the ${access} role; ${why}`);
    }
    request.principal = { tokenId: info.id, name: info.name, role: info.role };
  };

  // A callback hook, not an async one: a token found in the cache (every OFREP evaluation but one
  // every CACHE_MS) is admitted without a promise or a trip through the microtask queue.
  app.addHook('onRequest', (request: FastifyRequest, reply: FastifyReply, done: (err?: Error) => void) => {
    const access: Access | undefined = request.routeOptions.config?.access;
    if (access === undefined || access === 'public') return done();
    const now = ctx.clock.now();
    const token = tokenFrom(request, request.routeOptions.config?.queryToken === true);
    const finish = (info: TokenInfo | string) => {
      try {
        admit(request, reply, access, now, info);
      } catch (err) {
        return done(err as Error);
      }
      done();
    };
    const hit = token === undefined ? undefined : cache.get(token);
    if (hit && hit.until > now) return finish(hit.info ?? 'unknown or revoked token');
    authenticate(request, token, now).then(finish, (err: Error) => done(err));
  });
});

function queryParam(request: FastifyRequest, name: string): string | undefined {
  const v = (request.query as Record<string, unknown> | undefined)?.[name];
  return typeof v === 'string' && v ? v : undefined;
}

function tokenFrom(request: FastifyRequest, allowQuery: boolean): string | undefined {
  const header = request.headers.authorization;
  if (header) {
    const m = /^Bearer\s+(\S+)\s*$/i.exec(header);
    return m ? m[1] : undefined;
  }
  const apiKey = request.headers['x-api-key'];
  if (typeof apiKey === 'string' && apiKey) return apiKey;
  return allowQuery ? queryParam(request, 'token') : undefined;
}

declare module 'fastify' {
  interface FastifyInstance {
    /** Drops cached token lookups (after a token is deleted). */
    forgetTokens(): void;
    /**
     * Ends a long-lived answer (the event stream) when the token it was opened with is revoked or loses
     * the role the route needs; returns the function to call when the stream ends by itself.
     */
    guardStream(request: FastifyRequest, end: () => void): () => void;
    /** Every route that declared its access level, as registered. */
    accessTable: { method: string; url: string; access: Access }[];
  }
}

/**
 * Failed authentications per client address in a one-minute window: past the limit, the address gets
 * 429 until its window ends, so guessing tokens is slow. Successful requests never count, and are never
 * refused by it.
 */
export class FailedAuthLimiter {
  private readonly windows = new Map<string, { start: number; count: number }>();

  constructor(private readonly perMinute: number) {}

  record(ip: string, now: number): void {
    const w = this.windows.get(ip);
    if (!w || now - w.start >= 60_000) {
      if (this.windows.size > 50_000) this.prune(now);
      this.windows.set(ip, { start: now, count: 1 });
    } else w.count++;
  }

  /** Milliseconds until this address may try again (0: not blocked). */
  blockedFor(ip: string, now: number): number {
    const w = this.windows.get(ip);
    if (!w || now - w.start >= 60_000 || w.count < this.perMinute) return 0;
    return w.start + 60_000 - now;
  }

  private prune(now: number): void {
    for (const [ip, w] of this.windows) if (now - w.start >= 60_000) this.windows.delete(ip);
  }
}
