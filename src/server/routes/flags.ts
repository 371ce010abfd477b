import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { percentage } from '../../config/index.js';
import type { AppContext } from '../context.js';
import { notFound } from '../errors.js';
import { flagDetailsSchema, flagListSchema } from '../responses/flags.js';

/**
 * Flags through the API: their live state and history, and the kill switch (`PUT /api/flags/:key`),
 * which goes through the same change function as the CLI and remediation actions.
 */

const keyParams = z.object({ key: z.string().min(1) });

export async function flagRoutes(app: FastifyInstance, ctx: AppContext): Promise<void> {
  const r = app.withTypeProvider<ZodTypeProvider>();

  r.get(
    '/api/flags',
    { config: { access: 'viewer' }, schema: { summary: 'Feature flags: state, rollout and the last change', tags: ['flags'], response: { 200: flagListSchema } } },
    async () => ({ flags: await ctx.flags.list() }),
  );

  r.get(
    '/api/flags/:key',
    {
      config: { access: 'viewer' },
      schema: { summary: 'One flag with its definition and recent changes', tags: ['flags'], params: keyParams, querystring: z.object({ changes: z.coerce.number().int().min(1).max(500).default(20) }), response: { 200: flagDetailsSchema } },
    },
    async (request) => {
      const flag = await ctx.flags.get(request.params.key, { changes: request.query.changes });
      if (!flag) throw notFound(`no flag ${JSON.stringify(request.params.key)}`);
      return flag;
    },
  );

  r.put(
    '/api/flags/:key',
    {
      config: { access: 'responder' },
      schema: {
        summary: 'Switch a flag on or off, or change its rollout (the kill switch)',
        description: 'Recorded with the reason; adds flag_changed to the open incidents of the flag\'s service, and counts as the fix (resolved_at) of the incident named by incident_id. Wins over medic.yaml until that flag\'s entry there changes.',
        tags: ['flags'],
        params: keyParams,
        body: z
          .strictObject({
            enabled: z.boolean().optional(),
            rollout: percentage().optional().describe('"25%" or 0.25'),
            reason: z.string().trim().min(1, 'say why').max(4000),
            incident_id: z.number().int().positive().optional().describe('the incident this change is made for'),
          })
          .refine((b) => b.enabled !== undefined || b.rollout !== undefined, 'give enabled, rollout or both'),
        response: { 200: z.object({ changed: z.boolean(), flag: flagDetailsSchema }) },
      },
    },
    async (request) => {
      const { key } = request.params;
      const b = request.body;
      const result = await ctx.flags.change({
        key,
        ...(b.enabled !== undefined ? { enabled: b.enabled } : {}),
        ...(b.rollout !== undefined ? { rollout: b.rollout } : {}),
        reason: b.reason,
        ...(b.incident_id !== undefined ? { incidentId: b.incident_id } : {}),
        actor: request.principal!.name,
        source: 'api',
      });
      const flag = await ctx.flags.get(key);
      if (!flag) throw notFound(`no flag ${JSON.stringify(key)}`);
      return { changed: result.changed, flag };
    },
  );
}
