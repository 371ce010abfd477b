import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { percentage } from '../../config/index.js';
import type { AppContext } from '../context.js';
import { notFound } from '../errors.js';

/**
 * Flags through the API: their live state and history, and the kill switch (`PUT /api/flags/:key`),
 * which goes through the same change function as the CLI and remediation actions.
 */

const liveState = z.object({ enabled: z.boolean(), rollout: z.number(), version: z.number(), source: z.string(), definition: z.unknown().optional() });

const changeSchema = z.object({
  id: z.number(),
  key: z.string(),
  at: z.number(),
  actor: z.string(),
  reason: z.string(),
  incidentId: z.number().nullable(),
  before: liveState.nullable(),
  after: liveState.nullable(),
});

const summarySchema = z.object({
  key: z.string(),
  description: z.string().nullable(),
  type: z.string().nullable(),
  service: z.string().nullable(),
  owner: z.string().nullable(),
  enabled: z.boolean(),
  rollout: z.number().describe('share of targeting keys, 0 … 1'),
  version: z.number(),
  source: z.string().describe('who made the last change: config, api, cli or remediation'),
  updatedAt: z.number(),
  error: z.string().nullable().describe('why the stored definition cannot be evaluated, if it cannot'),
  lastChange: changeSchema.nullable(),
});

const detailsSchema = summarySchema.extend({
  variants: z.record(z.string(), z.unknown()),
  defaultVariant: z.string(),
  offVariant: z.string(),
  rules: z.array(z.object({ when: z.string(), variant: z.string().nullable(), rollout: z.number().nullable() })),
  configured: z.object({ enabled: z.boolean(), rollout: z.number() }).nullable().describe('what medic.yaml says; the live state wins until that entry changes'),
  changes: z.array(changeSchema).describe('newest first'),
});

const keyParams = z.object({ key: z.string().min(1) });

export async function flagRoutes(app: FastifyInstance, ctx: AppContext): Promise<void> {
  const r = app.withTypeProvider<ZodTypeProvider>();

  r.get(
    '/api/flags',
    { config: { access: 'viewer' }, schema: { summary: 'Feature flags: state, rollout and the last change', tags: ['flags'], response: { 200: z.object({ flags: z.array(summarySchema) }) } } },
    async () => ({ flags: await ctx.flags.list() }),
  );

  r.get(
    '/api/flags/:key',
    {
      config: { access: 'viewer' },
      schema: { summary: 'One flag with its definition and recent changes', tags: ['flags'], params: keyParams, querystring: z.object({ changes: z.coerce.number().int().min(1).max(500).default(20) }), response: { 200: detailsSchema } },
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
        response: { 200: z.object({ changed: z.boolean(), flag: detailsSchema }) },
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
