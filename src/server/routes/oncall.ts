import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { oncallOverview, scheduleIcs } from '../../notify/oncall/index.js';
import type { AppContext } from '../context.js';
import { notFound } from '../errors.js';
import { oncallOverviewSchema } from '../responses/oncall.js';
import { parseTimeParam, timeQuery } from '../time-param.js';

export async function oncallRoutes(app: FastifyInstance, ctx: AppContext): Promise<void> {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const config = () => ctx.loaded.config;

  r.get(
    '/api/oncall',
    {
      config: { access: 'viewer' },
      schema: {
        summary: 'Who is on call now (or at a time) and next, per schedule and per escalation policy',
        tags: ['oncall'],
        querystring: z.object({ at: timeQuery('the instant (default now)'), schedule: z.string().min(1).max(200).optional() }),
        response: { 200: oncallOverviewSchema },
      },
    },
    async (request) => {
      const { schedule } = request.query;
      if (schedule !== undefined && !config().oncall.schedules.some((s) => s.name === schedule)) throw notFound(`no schedule ${JSON.stringify(schedule)}`);
      const at = parseTimeParam(request.query.at, 'at', ctx.clock.now()) ?? ctx.clock.now();
      return oncallOverview(config(), at, schedule);
    },
  );

  r.get(
    '/api/oncall/schedules/:name.ics',
    {
      // Calendar apps subscribe to a URL and cannot send headers: a viewer token may ride in ?token=.
      config: { access: 'viewer', queryToken: true },
      schema: {
        summary: "iCalendar feed of a schedule's shifts over the next 90 days (token in the query allowed)",
        tags: ['oncall'],
        params: z.object({ name: z.string().min(1).max(200) }),
        querystring: z.object({ token: z.string().optional() }),
      },
    },
    async (request, reply) => {
      const schedule = config().oncall.schedules.find((s) => s.name === request.params.name);
      if (!schedule) throw notFound(`no schedule ${JSON.stringify(request.params.name)}`);
      return reply.type('text/calendar; charset=utf-8').header('cache-control', 'private, max-age=300').send(scheduleIcs(schedule, ctx.clock.now()));
    },
  );
}
