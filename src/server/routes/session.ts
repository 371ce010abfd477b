import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { findTokenById } from '../../store/index.js';
import type { AppContext } from '../context.js';
import { unauthorized } from '../errors.js';
import { meSchema, streamTicketSchema } from '../responses/session.js';
import { mintStreamTicket } from '../stream-ticket.js';

/**
 * Who the caller is (the dashboard hides what a role may not do), and a stream of server-sent events
 * that tells dashboards something changed so they refetch instead of polling. A browser opens the
 * stream with a short-lived ticket (EventSource cannot send headers, and tokens never go in URLs);
 * the stream ends when its token is revoked (see stream-guard.ts) or the server closes.
 */
export async function sessionRoutes(app: FastifyInstance, ctx: AppContext): Promise<void> {
  const r = app.withTypeProvider<ZodTypeProvider>();

  r.get(
    '/api/me',
    { config: { access: 'viewer' }, schema: { summary: 'The token’s name and role', tags: ['auth'], response: { 200: meSchema } } },
    async (request) => ({ name: request.principal!.name, role: request.principal!.role }),
  );

  r.post(
    '/api/stream/ticket',
    {
      config: { access: 'viewer' },
      schema: {
        summary: 'A ticket that opens /api/stream?ticket=… for the next 30 s (for EventSource, which cannot send headers)',
        tags: ['auth'],
        response: { 200: streamTicketSchema },
      },
    },
    async (request) => {
      const found = await findTokenById(ctx.store.db, request.principal!.tokenId);
      if (!found) throw unauthorized('unknown or revoked token');
      return mintStreamTicket(found.info.id, found.hash, ctx.clock.now());
    },
  );

  r.get(
    '/api/stream',
    {
      // A bearer token, or a stream ticket as ?ticket= (EventSource cannot set headers); never ?token=.
      config: { access: 'viewer', streamTicket: true },
      schema: { summary: 'Server-sent events: `change` whenever incidents, checks, flags or deployments change', tags: ['auth'], querystring: z.object({ ticket: z.string().optional() }) },
    },
    async (request, reply) => {
      reply.hijack();
      const res = reply.raw;
      res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache', connection: 'keep-alive', 'x-accel-buffering': 'no' });
      res.write('retry: 3000\n\n');
      const unsubscribe = ctx.changes.subscribe((kind) => res.write(`event: change\ndata: ${kind}\n\n`));
      // A comment line every 20 s keeps proxies from closing an idle stream.
      const keepAlive = setInterval(() => res.write(': keep-alive\n\n'), 20_000);
      // Ended when its token is revoked, and when the server closes (or shutdown would wait on it).
      const unguard = app.guardStream(request, () => res.end());
      request.raw.on('close', () => {
        clearInterval(keepAlive);
        unsubscribe();
        unguard();
      });
    },
  );
}
