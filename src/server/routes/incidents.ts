import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { acknowledge, addNote, incidentDetails, listIncidents, publicUpdateInput, recordCause, resolveIncident, type PublicUpdateInput } from '../../incidents/index.js';
import { publishUpdate } from '../../notify/status-page/index.js';
import type { AppContext } from '../context.js';
import { notFound } from '../errors.js';
import { incidentDetailsSchema, incidentListSchema, incidentSchema } from '../responses/incidents.js';
import { idParams } from '../schemas.js';
import { parseTimeParam, timeQuery } from '../time-param.js';

const STATUS_FILTER = ['active', 'open', 'acknowledged', 'mitigating', 'resolved', 'verifying', 'closed', 'reopened'] as const;

export async function incidentRoutes(app: FastifyInstance, ctx: AppContext): Promise<void> {
  const r = app.withTypeProvider<ZodTypeProvider>();

  r.get(
    '/api/incidents',
    {
      config: { access: 'viewer' },
      schema: {
        summary: 'List incidents, newest first',
        tags: ['incidents'],
        querystring: z.object({
          status: z.enum(STATUS_FILTER).optional().describe('"active" means every status but closed'),
          service: z.string().optional(),
          since: timeQuery('detected at or after'),
          limit: z.coerce.number().int().min(1).max(500).default(50),
          offset: z.coerce.number().int().min(0).default(0),
        }),
        response: { 200: incidentListSchema },
      },
    },
    async (request) => listIncidents(ctx.store.db, { ...request.query, since: parseTimeParam(request.query.since, 'since', ctx.clock.now()) }),
  );

  r.get(
    '/api/incidents/:id',
    {
      config: { access: 'viewer' },
      schema: {
        summary: 'One incident with its timeline, phases, alerts and what it affects',
        tags: ['incidents'],
        params: idParams,
        response: { 200: incidentDetailsSchema },
      },
    },
    async (request) => {
      const details = await incidentDetails(ctx.store.db, ctx.incidents, request.params.id);
      if (!details) throw notFound(`no incident ${request.params.id}`);
      return details;
    },
  );

  const action = (path: string, summary: string, body: z.ZodType, run: (id: number, body: Record<string, string | undefined>, actor: string) => Promise<unknown>) =>
    r.post(
      `/api/incidents/:id/${path}`,
      { config: { access: 'responder' }, schema: { summary, tags: ['incidents'], params: idParams, body, response: { 200: z.object({ incident: incidentSchema }) } } },
      // An action without options may come with no body at all.
      async (request) => ({ incident: (await run(request.params.id, (request.body ?? {}) as Record<string, string | undefined>, request.principal!.name)) as z.infer<typeof incidentSchema> }),
    );

  action('ack', 'Acknowledge: someone is on it', z.strictObject({}).nullish(), (id, _b, actor) => acknowledge(ctx.incidents, id, actor));
  action('diagnose', 'Record the cause (sets diagnosed_at)', z.strictObject({ cause: z.string().trim().min(1).max(4000) }), (id, b, actor) => recordCause(ctx.incidents, id, b.cause!, actor));
  action('resolve', 'Resolve: a fix was applied (verification follows)', z.strictObject({ note: z.string().max(4000).optional() }).nullish(), (id, b, actor) => resolveIncident(ctx.incidents, id, b.note, actor));
  action('notes', 'Add a note to the timeline', z.strictObject({ text: z.string().trim().min(1).max(10_000) }), (id, b, actor) => addNote(ctx.incidents, id, b.text!, actor));
  action('updates', 'Add a public update: shown on the status page and in its feed (409 when the incident is not on it)', publicUpdateInput, (id, b, actor) =>
    publishUpdate(ctx.incidents, ctx.loaded.config.status_page, id, b as PublicUpdateInput, actor),
  );
}
