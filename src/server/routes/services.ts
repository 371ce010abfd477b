import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { rollbackService } from '../../resolve/index.js';
import { startVerification } from '../../verify/index.js';
import type { AppContext } from '../context.js';

const params = z.object({ name: z.string().min(1) });

export async function serviceRoutes(app: FastifyInstance, ctx: AppContext): Promise<void> {
  const r = app.withTypeProvider<ZodTypeProvider>();

  r.post(
    '/api/services/:name/rollback',
    {
      config: { access: 'responder' },
      schema: {
        summary: "Run the service's rollback command; recorded as a deployment and, when it worked, as the fix of its open incidents",
        tags: ['services'],
        params,
        response: {
          200: z.object({
            ok: z.boolean(),
            service: z.string(),
            output: z.string(),
            error: z.string().optional(),
            durationMs: z.number(),
            deploymentId: z.number().nullable(),
            version: z.string().nullable(),
            incidentIds: z.array(z.number()),
          }),
        },
      },
    },
    async (request) => rollbackService(ctx.resolve, request.params.name, request.principal?.name ?? 'api'),
  );

  r.post(
    '/api/services/:name/verify',
    {
      config: { access: 'responder' },
      schema: {
        summary: "Start verifying the recovery of the service's open incident (progress appears on its timeline)",
        tags: ['services'],
        params,
        response: { 202: z.object({ incidentId: z.number(), jobId: z.number() }) },
      },
    },
    async (request, reply) => reply.code(202).send(await startVerification(ctx.verify, request.params.name)),
  );
}
