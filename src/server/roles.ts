import type { Role } from '../config/index.js';

/** Route access levels: `public` needs no token; the others need a token of at least that role. */
export type Access = Role | 'public';

const RANK: Record<Role, number> = { viewer: 1, responder: 2, admin: 3 };

export function roleAllows(have: Role, need: Role): boolean {
  return RANK[have] >= RANK[need];
}

declare module 'fastify' {
  interface FastifyContextConfig {
    /** Every route declares who may call it; the app refuses to start with a route that does not. */
    access?: Access;
    /** Accept `?token=` for tools that cannot set headers (ingest webhooks). */
    queryToken?: boolean;
  }
  interface FastifyRequest {
    /** The caller, once authenticated. */
    principal?: { tokenId: number; name: string; role: Role };
  }
}
