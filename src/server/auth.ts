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

type Principal = NonNullable<FastifyRequest['principal']>;

/** A cached lookup: the token (or undefined: unknown or revoked), and the principal its requests get. */
interface CacheEntry {
  info: TokenInfo | undefined;
  /** Made once per lookup and frozen: every request with the token shares it. */
  principal: Principal | undefined;
  until: number;
}

type OnRequest = (request: FastifyRequest, reply: FastifyReply, done: (err?: Error) => void) => void;

/** Marks the hooks this plugin adds, so a route's options copied to its HEAD route are not given a second one. */
const AUTH_HOOK = Symbol('medic.auth');

export const authPlugin = fp(async (app: FastifyInstance, ctx: AppContext) => {
  const cache = new Map<string, CacheEntry>();
  const failures = new FailedAuthLimiter(ctx.loaded.config.auth.failed_auth_per_minute);
  const streams = new StreamGuard(ctx.store.db, ctx.logger);

  // Declared, so every request has the same shape whether or not it is authenticated.
  app.decorateRequest('principal', undefined);

  const table: { method: string; url: string; access: Access }[] = [];
  app.decorate('accessTable', table);
  app.addHook('onRoute', (route) => {
    const access = route.config?.access;
    const needsDeclaration = route.url.startsWith('/api') || route.url.startsWith('/ofrep');
    if (needsDeclaration && access === undefined) {
      throw new Error(`route ${route.method} ${route.url} declares no access level (config.access)`);
    }
    if (access !== undefined) for (const method of [route.method].flat()) if (method !== 'HEAD') table.push({ method, url: route.url, access });
    // The check is the route's own first onRequest hook, made for its access level: a request reads no
    // route options (request.routeOptions builds a new object on every read), and a public route has none.
    if (access === undefined || access === 'public') return;
    const own = [route.onRequest ?? []].flat() as OnRequest[];
    if (own.some((hook) => AUTH_HOOK in hook)) return;
    route.onRequest = [authHook(access, route.config?.queryToken === true, route.config?.streamTicket === true), ...own] as typeof route.onRequest;
  });

  app.decorate('forgetTokens', () => cache.clear());
  app.decorate('guardStream', (request: FastifyRequest, end: () => void) => {
    const access = request.routeOptions.config?.access;
    if (!request.principal || access === undefined || access === 'public') return () => {};
    return streams.add(request.principal.tokenId, access, end);
  });
  app.addHook('preClose', async () => streams.endAll());

  /** Lookups under way, by token: the requests that meet an expired entry at once share one query. */
  const inFlight = new Map<string, Promise<CacheEntry>>();
  const lookup = (token: string): Promise<CacheEntry> => {
    const now = ctx.clock.now();
    const hit = cache.get(token);
    const pending = inFlight.get(token);
    if (pending) return pending;
    const query = findToken(ctx.store.db, token)
      .then((info) => {
        if (cache.size > 10_000) cache.clear();
        const entry: CacheEntry = { info, principal: info && Object.freeze({ tokenId: info.id, name: info.name, role: info.role }), until: now + CACHE_MS };
        cache.set(token, entry);
        // Last-used is informational; never let it slow or fail a request.
        if (info && (!hit || !hit.info)) touchToken(ctx.store.db, info.id, now).catch(() => {});
        return entry;
      })
      .finally(() => inFlight.delete(token));
    inFlight.set(token, query);
    return query;
  };

  /** The caller's token (with its principal), or why there is none. */
  const authenticate = async (request: FastifyRequest, token: string | undefined, streamTicket: boolean, now: number): Promise<CacheEntry | string> => {
    if (token) {
      const entry = await lookup(token);
      return entry.info ? entry : 'unknown or revoked token';
    }
    const ticket = streamTicket ? queryParam(request, 'ticket') : undefined;
    if (ticket) {
      const claims = readStreamTicket(ticket, now);
      const found = claims && (await findTokenById(ctx.store.db, claims.tokenId));
      if (!found || !claims.signedWith(found.hash)) return 'unknown, expired or revoked stream ticket';
      const { info } = found;
      return { info, principal: { tokenId: info.id, name: info.name, role: info.role }, until: now };
    }
    return 'a token is required: send Authorization: Bearer <token>';
  };

  /** Lets the request through, or answers the 401, 403 or 429 it gets. */
  const admit = (request: FastifyRequest, reply: FastifyReply, access: Exclude<Access, 'public'>, now: number, found: CacheEntry | string, done: (err?: Error) => void): void => {
    if (typeof found === 'string') {
      // Only failures meet the limiter, after the token was checked: a valid token is never refused
      // because others failed from the same address (everyone behind one proxy or NAT).
      const wait = failures.blockedFor(request.ip, now);
      if (wait > 0) {
        reply.header('retry-after', String(Math.ceil(wait / 1000)));
        return done(tooManyRequests('too many failed authentications from this address; try again later'));
      }
      failures.record(request.ip, now);
      reply.header('www-authenticate', 'Bearer realm="medic"');
      return done(unauthorized(found));
    }
    const info = found.info!;
    if (!roleAllows(info.role, access)) {
      const why = info.role === 'flags' ? 'a flags token may only evaluate flags (OFREP)' : `token "${info.name}" has ${info.role}`;
      return done(forbidden(`this needs the ${access} role; ${why}`));
    }
    request.principal = found.principal;
    done();
  };

  /**
   * A route's check. A callback hook, not an async one: a token found in the cache (every OFREP
   * evaluation but one every CACHE_MS) is admitted without a promise, a closure or a trip through the
   * microtask queue.
   */
  const authHook = (access: Exclude<Access, 'public'>, queryToken: boolean, streamTicket: boolean): OnRequest => {
    const hook: OnRequest = (request, reply, done) => {
      const now = ctx.clock.now();
      const token = tokenFrom(request, queryToken);
      const hit = token === undefined ? undefined : cache.get(token);
      if (hit && hit.until > now) return admit(request, reply, access, now, hit.info ? hit : 'unknown or revoked token', done);
      authenticate(request, token, streamTicket, now).then(
        (found) => admit(request, reply, access, now, found, done),
        (err: Error) => done(err),
      );
    };
    return Object.assign(hook, { [AUTH_HOOK]: true });
  };
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
