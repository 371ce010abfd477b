import fastifyRateLimit from '@fastify/rate-limit';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { JSON_PATH, StatusPageService, statusPageSchema, type Rendered } from '../../notify/status-page/index.js';
import { acceptsGzip } from '../accepts-gzip.js';
import type { AppContext } from '../context.js';
import { notFound, tooManyRequests } from '../errors.js';

/**
 * The public status page: HTML, Atom, JSON and badges, with no token. Each address may ask
 * `status_page.rate_limit_per_minute` times a minute (the address is the client's behind a proxy listed
 * in server.trust_proxy). Registered only when medic.yaml has a status_page: section.
 */
/** The request's origin for the feed's links when server.public_url is not set; a Host that is not a host name is not used. */
function origin(request: FastifyRequest): string {
  const host = /^([a-z0-9.-]+|\[[0-9a-f:.]+\])(:\d{1,5})?$/i.test(request.host) ? request.host : 'localhost';
  return `${request.protocol}://${host}`;
}

/** Whether an If-None-Match header names `tag` (weak or strong), or is `*`. */
function hasTag(header: string | undefined, tag: string): boolean {
  return header !== undefined && header.split(',').some((t) => ((t = t.trim()), t === '*' || t === tag || t === `W/${tag}`));
}

/**
 * A kept rendering as it is: compressed for a client that takes gzip, and cacheable for a few seconds.
 * A browser refreshing the page sends the tag it has; unchanged bytes are then a 304 without a body.
 * The gzipped bytes are another representation, with a tag of their own.
 */
async function send(request: FastifyRequest, reply: FastifyReply, rendered: Rendered, type: string) {
  reply.type(type).header('cache-control', 'public, max-age=5').header('vary', 'accept-encoding');
  const gzip = acceptsGzip(request.headers['accept-encoding']);
  if (rendered.etag !== undefined) {
    const tag = `"${rendered.etag}${gzip ? '-gz' : ''}"`;
    reply.header('etag', tag);
    if (hasTag(request.headers['if-none-match'], tag)) return reply.code(304).send();
  }
  if (gzip) return reply.header('content-encoding', 'gzip').send(await rendered.gzip());
  return reply.send(rendered.body);
}

export async function statusPageRoutes(app: FastifyInstance, ctx: AppContext): Promise<void> {
  const page = ctx.loaded.config.status_page;
  if (!page) return;
  const service = new StatusPageService({ store: ctx.store, page, clock: ctx.clock, changes: ctx.changes, publicUrl: ctx.loaded.config.server.public_url });
  app.addHook('onClose', async () => service.stop());

  // In a context of its own, so the limit applies to these routes only.
  await app.register(async (pub) => {
    await pub.register(fastifyRateLimit, {
      max: page.rate_limit_per_minute,
      timeWindow: 60_000,
      keyGenerator: (request) => request.ip,
      errorResponseBuilder: (_request, limit) => tooManyRequests(`too many requests from this address; try again in ${limit.after}`),
    });
    const r = pub.withTypeProvider<ZodTypeProvider>();
    const tags = ['status page'];

    r.get(page.path, { config: { access: 'public' }, schema: { summary: 'The public status page (HTML, no JavaScript)', tags, security: [] } }, async (request, reply) =>
      send(request, reply, await (await service.get()).html(), 'text/html; charset=utf-8'),
    );

    r.get(`${page.path}/feed.atom`, { config: { access: 'public' }, schema: { summary: 'Public updates as an Atom feed', tags, security: [] } }, async (request, reply) =>
      send(request, reply, await (await service.get()).atom(origin(request)), 'application/atom+xml; charset=utf-8'),
    );

    r.get(
      JSON_PATH,
      {
        config: { access: 'public' },
        schema: {
          summary: 'The public status page as JSON',
          description: 'Only the services listed in status_page.services; of an incident, only the listed services it affects, its impact, public status and public updates. Kept a few seconds; an incident change drops it.',
          tags,
          security: [],
          response: { 200: statusPageSchema },
        },
      },
      // Serialized once per computation, not per request (a Buffer is sent as it is).
      async (request, reply) => send(request, reply, await (await service.get()).json(), 'application/json; charset=utf-8') as never,
    );

    r.get(
      `${JSON_PATH}/badge.svg`,
      {
        config: { access: 'public' },
        schema: {
          summary: 'An SVG badge of a listed service\'s state, or of the whole page without ?service',
          tags,
          security: [],
          querystring: z.object({ service: z.string().min(1).max(200).optional() }),
        },
      },
      async (request, reply) => {
        const badge = await (await service.get()).badge(request.query.service);
        // The same answer for a service that is not listed and one that does not exist at all.
        if (badge === undefined) throw notFound('no such service on the status page');
        return send(request, reply, badge, 'image/svg+xml; charset=utf-8');
      },
    );
  });
}
