import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { acknowledgeByLink, inspectAckLink } from '../../notify/oncall/index.js';
import { ackFormPage, ackResultPage, refusedPage } from '../ack-page.js';
import type { AppContext } from '../context.js';

/**
 * The acknowledge link in every page: `GET /ack/:token` shows the incident and an Acknowledge button and
 * changes nothing (mail scanners and link previews open links); `POST /ack/:token` acknowledges. No
 * sign-in: the signed, single-use, expiring token is the permission, for this one incident only.
 */
export async function ackRoutes(app: FastifyInstance, ctx: AppContext): Promise<void> {
  // In a scope of its own: the form a browser posts (empty, form-encoded) is accepted here and nowhere else.
  await app.register(async (scoped) => ackLinkRoutes(scoped, ctx));
}

async function ackLinkRoutes(app: FastifyInstance, ctx: AppContext): Promise<void> {
  app.addContentTypeParser('application/x-www-form-urlencoded', { parseAs: 'string', bodyLimit: 1024 }, (_request, _body, done) => done(null, {}));
  const r = app.withTypeProvider<ZodTypeProvider>();
  const params = z.object({ token: z.string().max(200) });

  r.get('/ack/:token', { config: { access: 'public' }, schema: { hide: true, params } }, async (request, reply) => {
    const seen = await inspectAckLink(ctx.incidents, request.params.token);
    const { status, html } = seen.state === 'ok' ? { status: 200, html: ackFormPage(seen.incident, seen.who, `/ack/${encodeURIComponent(request.params.token)}`) } : refusedPage(seen.state);
    return reply.code(status).header('cache-control', 'no-store').type('text/html; charset=utf-8').send(html);
  });

  r.post('/ack/:token', { config: { access: 'public' }, schema: { hide: true, params } }, async (request, reply) => {
    const { status, html } = ackResultPage(await acknowledgeByLink(ctx.incidents, request.params.token));
    return reply.code(status).header('cache-control', 'no-store').type('text/html; charset=utf-8').send(html);
  });
}
