import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { measureWindow } from '../../detect/monitors/measure.js';
import { getMonitor, listMonitors, monitorResults, recordPing, traceLinker } from '../../detect/monitors/queries.js';
import type { AppContext } from '../context.js';
import { parseTimeParam, timeQuery } from '../time-param.js';
import { badRequest, notFound } from '../errors.js';
import { monitorListSchema, monitorSchema, monitorStatsSchema, resultListSchema } from '../responses/monitors.js';

export async function monitorRoutes(app: FastifyInstance, ctx: AppContext): Promise<void> {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const link = traceLinker(ctx.loaded.config);

  r.get(
    '/api/monitors',
    {
      config: { access: 'viewer' },
      schema: {
        summary: 'Monitors with status, latest run, uptime (24 h / 7 d / 30 d) and latency; down and degraded first',
        tags: ['monitors'],
        querystring: z.object({
          service: z.string().min(1).optional(),
          status: z.enum(['pending', 'up', 'degraded', 'down']).optional(),
          search: z.string().min(1).max(200).optional(),
          limit: z.coerce.number().int().min(1).max(500).default(100),
          offset: z.coerce.number().int().min(0).default(0),
        }),
        response: { 200: monitorListSchema },
      },
    },
    async (request) => listMonitors(ctx.store.db, link, ctx.clock.now(), request.query),
  );

  r.get(
    '/api/monitors/:id',
    {
      config: { access: 'viewer' },
      schema: { summary: 'One monitor', tags: ['monitors'], params: z.object({ id: z.coerce.number().int().min(1) }), response: { 200: monitorSchema } },
    },
    async (request) => (await getMonitor(ctx.store.db, link, ctx.clock.now(), request.params.id)) ?? Promise.reject(notFound(`monitor ${request.params.id} not found`)),
  );

  r.get(
    '/api/monitors/:id/results',
    {
      config: { access: 'viewer' },
      schema: {
        summary: 'Check results of a monitor, newest first',
        tags: ['monitors'],
        params: z.object({ id: z.coerce.number().int().min(1) }),
        querystring: z.object({
          since: timeQuery('started at or after'),
          until: timeQuery('started at or before'),
          status: z.enum(['up', 'degraded', 'down']).optional(),
          limit: z.coerce.number().int().min(1).max(5000).default(500),
        }),
        response: { 200: resultListSchema },
      },
    },
    async (request) => {
      const { since, until, status, limit } = request.query;
      const results = await monitorResults(ctx.store.db, link, request.params.id, { since: parseTimeParam(since, 'since', ctx.clock.now()), until: parseTimeParam(until, 'until', ctx.clock.now()), ...(status ? { status } : {}), limit });
      if (!results) throw notFound(`monitor ${request.params.id} not found`);
      return { results };
    },
  );

  r.get(
    '/api/monitors/:id/stats',
    {
      config: { access: 'viewer' },
      schema: {
        summary: 'Uptime and latency percentiles of a monitor over any window (default: the last 24 h)',
        tags: ['monitors'],
        params: z.object({ id: z.coerce.number().int().min(1) }),
        querystring: z.object({ since: timeQuery('window start (default: a day before until)'), until: timeQuery('window end (default: now)') }),
        response: { 200: monitorStatsSchema },
      },
    },
    async (request) => {
      const now = ctx.clock.now();
      const until = parseTimeParam(request.query.until, 'until', now) ?? now;
      const since = parseTimeParam(request.query.since, 'since', now) ?? until - 24 * 3_600_000;
      if (since >= until) throw badRequest('since must be before until');
      const exists = await ctx.store.db.selectFrom('monitors').select('id').where('id', '=', request.params.id).executeTakeFirst();
      if (!exists) throw notFound(`monitor ${request.params.id} not found`);
      const m = await measureWindow(ctx.store.db, [request.params.id], since, until);
      return { since, until, runs: m?.runs ?? 0, availability: m?.availability ?? null, error_rate: m?.error_rate ?? null, avg_ms: m?.avg_ms ?? null, p50_ms: m?.p50_ms ?? null, p95_ms: m?.p95_ms ?? null, p99_ms: m?.p99_ms ?? null };
    },
  );

  // Heartbeats: the token in the URL is the credential (like a webhook URL), so the route is public.
  for (const method of ['POST', 'GET'] as const) {
    r.route({
      method,
      url: '/api/heartbeat/:token',
      config: { access: 'public' },
      schema: { summary: 'Heartbeat ping of a heartbeat monitor', tags: ['monitors'], params: z.object({ token: z.string().min(1).max(200) }), response: { 200: z.object({ ok: z.literal(true), monitor: z.string() }) } },
      handler: async (request) => {
        const monitor = await recordPing(ctx.store.db, request.params.token, ctx.clock.now());
        if (!monitor) throw notFound('no heartbeat monitor has this token');
        return { ok: true as const, monitor };
      },
    });
  }
}
