import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { httpUrl } from '../../config/schema/common.js';
import { deploymentSchema, listDeployments, recordDeployment } from '../../diagnose/index.js';
import type { AppContext } from '../context.js';
import { parseTimeParam, timeQuery } from '../time-param.js';



export async function deploymentRoutes(app: FastifyInstance, ctx: AppContext): Promise<void> {
  const r = app.withTypeProvider<ZodTypeProvider>();

  r.post(
    '/api/deployments',
    {
      config: { access: 'responder' },
      schema: {
        summary: 'Record a deployment (incidents that open soon after list it as a suspect)',
        tags: ['deployments'],
        body: z.strictObject({
          service: z.string().trim().min(1).max(200),
          version: z.string().trim().min(1).max(200),
          commit: z.string().trim().min(1).max(200).optional(),
          url: httpUrl().max(2000).optional().describe('a link to the build or release (http or https)'),
        }),
        response: { 201: deploymentSchema },
      },
    },
    async (request, reply) => {
      const d = await recordDeployment(ctx.store.db, { ...request.body, actor: request.principal?.name ?? 'api' }, ctx.clock.now());
      return reply.code(201).send(d);
    },
  );

  r.get(
    '/api/deployments',
    {
      config: { access: 'viewer' },
      schema: {
        summary: 'Deployments, newest first',
        tags: ['deployments'],
        querystring: z.object({
          service: z.string().min(1).optional(),
          since: timeQuery('deployed at or after'),
          limit: z.coerce.number().int().min(1).max(1000).default(100),
        }),
        response: { 200: z.object({ deployments: z.array(deploymentSchema) }) },
      },
    },
    async (request) => {
      const { service, since, limit } = request.query;
      return { deployments: await listDeployments(ctx.store.db, { ...(service ? { services: [service] } : {}), ...(since !== undefined ? { since: parseTimeParam(since, 'since', ctx.clock.now()) } : {}), limit }) };
    },
  );
}
