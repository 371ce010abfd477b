import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { getIncident } from '../../incidents/index.js';
import { approveAttempt, listAttempts, rejectAttempt } from '../../resolve/index.js';
import type { AppContext } from '../context.js';
import { notFound } from '../errors.js';

const attemptSchema = z.object({
  id: z.number(),
  incidentId: z.number(),
  rule: z.string(),
  attempt: z.number(),
  actionType: z.string(),
  status: z.string(),
  dryRun: z.boolean(),
  requestedAt: z.number(),
  startedAt: z.number().nullable(),
  finishedAt: z.number().nullable(),
  decidedBy: z.string().nullable(),
  output: z.string().nullable(),
  error: z.string().nullable(),
  alertName: z.string().nullable(),
  expiresAt: z.number().nullable(),
  durationMs: z.number().nullable(),
  details: z.record(z.string(), z.unknown()).nullable(),
});

const attemptParams = z.object({ id: z.coerce.number().int().positive(), attemptId: z.coerce.number().int().positive() });

export async function remediationRoutes(app: FastifyInstance, ctx: AppContext): Promise<void> {
  const r = app.withTypeProvider<ZodTypeProvider>();

  r.get(
    '/api/incidents/:id/remediations',
    {
      config: { access: 'viewer' },
      schema: {
        summary: "The incident's remediation attempts, per rule in order",
        tags: ['remediation'],
        params: z.object({ id: z.coerce.number().int().positive() }),
        response: { 200: z.object({ attempts: z.array(attemptSchema) }) },
      },
    },
    async (request) => {
      if (!(await getIncident(ctx.store.db, request.params.id))) throw notFound(`no incident ${request.params.id}`);
      return { attempts: await listAttempts(ctx.store.db, request.params.id) };
    },
  );

  for (const decision of ['approve', 'reject'] as const) {
    r.post(
      `/api/incidents/:id/remediations/:attemptId/${decision}`,
      {
        config: { access: 'responder' },
        schema: {
          summary: decision === 'approve' ? 'Approve a remediation that waits for approval: it runs now' : 'Reject a remediation that waits for approval: it never runs',
          tags: ['remediation'],
          params: attemptParams,
          body: z.strictObject({ reason: z.string().max(2000).optional() }).nullish(),
          response: { 200: attemptSchema },
        },
      },
      async (request) => {
        const input = { attemptId: request.params.attemptId, incidentId: request.params.id, actor: request.principal?.name ?? 'api', reason: request.body?.reason };
        return decision === 'approve' ? approveAttempt(ctx.resolve, input) : rejectAttempt(ctx.resolve, input);
      },
    );
  }
}
