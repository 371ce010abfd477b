import type { Role } from '../config/index.js';

/** Route access levels: `public` needs no token; the others name the role the route is for. */
export type Access = Role | 'public';

/**
 * What each role may call. viewer < responder < admin is a ladder: each may do what the ones below it
 * may. `flags` is outside it: the token for applications and browsers, which evaluates flags over OFREP
 * and may call nothing else (a viewer would also read incidents with runbook output, postmortems and
 * monitors). Every role of the ladder may evaluate flags too.
 */
const GRANTS: Record<Role, ReadonlySet<Role>> = {
  flags: new Set(['flags']),
  viewer: new Set(['flags', 'viewer']),
  responder: new Set(['flags', 'viewer', 'responder']),
  admin: new Set(['flags', 'viewer', 'responder', 'admin']),
};

export function roleAllows(have: Role, need: Role): boolean {
  return GRANTS[have].has(need);
}

declare module 'fastify' {
  interface FastifyContextConfig {
    /** Every route declares who may call it; the app refuses to start with a route that does not. */
    access?: Access;
    /** Accept `?token=` for tools that cannot set headers (ingest webhooks). */
    queryToken?: boolean;
    /** Accept `?ticket=` (a stream ticket, see stream-ticket.ts) instead of a token: the event stream. */
    streamTicket?: boolean;
  }
  interface FastifyRequest {
    /** The caller, once authenticated. */
    principal?: { tokenId: number; name: string; role: Role };
  }
}
