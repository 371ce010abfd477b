import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { renderMetrics } from '../../shared/metrics.js';
import { MEDIC_VERSION } from '../../shared/version.js';
import type { AppContext } from '../context.js';

export async function healthRoutes(app: FastifyInstance, ctx: AppContext): Promise<void> {
  const r = app.withTypeProvider<ZodTypeProvider>();

  r.get(
    '/healthz',
    {
      config: { access: 'public' },
      schema: {
        summary: 'Liveness and database health',
        tags: ['system'],
        security: [],
        response: {
          200: z.object({ status: z.literal('ok'), version: z.string(), database: z.string() }),
          503: z.object({ status: z.literal('error'), version: z.string(), database: z.string(), message: z.string() }),
        },
      },
    },
    async (_request, reply) => {
      try {
        await ctx.store.ping();
        return { status: 'ok' as const, version: MEDIC_VERSION, database: ctx.store.engine };
      } catch (err) {
        return reply.code(503).send({ status: 'error' as const, version: MEDIC_VERSION, database: ctx.store.engine, message: ctx.loaded.redactor.redact((err as Error).message) });
      }
    },
  );

  r.get(
    '/metrics',
    {
      config: { access: 'public' },
      schema: {
        summary: 'Prometheus metrics',
        tags: ['system'],
        security: [],
        hide: false,
        // With thousands of monitors the per-monitor series make a full scrape tens of MB; a tool that
        // wants one metric (a dashboard, a benchmark) asks for it by name.
        querystring: z.object({ name: z.union([z.string().min(1), z.array(z.string().min(1))]).optional().describe('only these metrics') }),
      },
    },
    async (request, reply) => {
      reply.header('content-type', ctx.metrics.contentType);
      const { name } = request.query;
      return renderMetrics(ctx.metrics, name === undefined ? undefined : [name].flat());
    },
  );
}
