import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { parseDuration } from '../../config/index.js';
import { createSilence, deleteSilence, listSilences } from '../../incidents/index.js';
import type { AppContext } from '../context.js';
import { badRequest, notFound } from '../errors.js';
import { idParams } from '../schemas.js';

const silenceSchema = z.object({
  id: z.number(),
  matchers: z.record(z.string(), z.string()),
  startsAt: z.number(),
  endsAt: z.number(),
  comment: z.string(),
  createdBy: z.string(),
  source: z.enum(['config', 'api']),
  createdAt: z.number(),
});

export async function silenceRoutes(app: FastifyInstance, ctx: AppContext): Promise<void> {
  const r = app.withTypeProvider<ZodTypeProvider>();

  r.get(
    '/api/silences',
    {
      config: { access: 'viewer' },
      schema: { summary: 'Silences (maintenance windows); expired ones with ?expired=true', tags: ['silences'], querystring: z.object({ expired: z.enum(['true', 'false']).default('false') }), response: { 200: z.object({ silences: z.array(silenceSchema) }) } },
    },
    async (request) => ({ silences: await listSilences(ctx.store.db, { includeExpired: request.query.expired === 'true', now: ctx.clock.now() }) }),
  );

  r.post(
    '/api/silences',
    {
      config: { access: 'responder' },
      schema: {
        summary: 'Create a silence: matching alerts are recorded as suppressed and open nothing',
        tags: ['silences'],
        body: z.strictObject({
          matchers: z.record(z.string(), z.string()).refine((m) => Object.keys(m).length > 0, 'give at least one label matcher'),
          starts_at: z.iso.datetime({ offset: true }).optional(),
          ends_at: z.iso.datetime({ offset: true }).optional(),
          duration: z.string().optional().describe('instead of ends_at, e.g. "2h"'),
          comment: z.string().max(2000).default(''),
        }),
        response: { 201: silenceSchema },
      },
    },
    async (request, reply) => {
      const b = request.body;
      for (const value of Object.values(b.matchers)) {
        if (value.length > 1 && value.startsWith('/') && value.endsWith('/')) {
          try {
            new RegExp(value.slice(1, -1));
          } catch {
            throw badRequest(`matchers: invalid regular expression ${value}`);
          }
        }
      }
      const startsAt = b.starts_at ? Date.parse(b.starts_at) : ctx.clock.now();
      const duration = b.duration === undefined ? undefined : parseDuration(b.duration);
      if (b.duration !== undefined && duration === undefined) throw badRequest(`duration: expected a duration such as "2h", got ${JSON.stringify(b.duration)}`);
      const endsAt = b.ends_at ? Date.parse(b.ends_at) : duration !== undefined ? startsAt + duration : undefined;
      if (endsAt === undefined) throw badRequest('give ends_at or duration');
      if (endsAt <= startsAt) throw badRequest('ends_at must be after starts_at');
      const silence = await createSilence(ctx.store.db, { matchers: b.matchers, startsAt, endsAt, comment: b.comment, createdBy: request.principal!.name, source: 'api' }, ctx.clock.now());
      return reply.code(201).send(silence);
    },
  );

  r.delete(
    '/api/silences/:id',
    { config: { access: 'responder' }, schema: { summary: 'Delete a silence', tags: ['silences'], params: idParams, response: { 204: z.null() } } },
    async (request, reply) => {
      if (!(await deleteSilence(ctx.store.db, request.params.id))) throw notFound(`no silence ${request.params.id}`);
      return reply.code(204).send(null);
    },
  );
}
