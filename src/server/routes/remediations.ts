import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { getIncident } from '../../incidents/index.js';
import { approveAttempt, listAttempts, rejectAttempt } from '../../resolve/index.js';
import type { AppContext } from '../context.js';
import { notFound } from '../errors.js';
import { attemptListSchema, attemptSchema } from '../responses/remediations.js';

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
        response: { 200: attemptListSchema },
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
