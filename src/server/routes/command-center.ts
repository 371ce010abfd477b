import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { CommandCenterService, commandCenterSchema, parseWindow } from '../../diagnose/index.js';
import type { AppContext } from '../context.js';

/** The command center: the dashboard's home page and `medic dashboard --server` read this one answer. */
export async function commandCenterRoutes(app: FastifyInstance, ctx: AppContext): Promise<void> {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const service = new CommandCenterService({
    store: ctx.store,
    config: ctx.loaded.config,
    clock: ctx.clock,
    changes: ctx.changes,
    redact: (text) => ctx.loaded.redactor.redact(text),
  });
  app.addHook('onClose', async () => service.stop());

  r.get(
    '/api/command-center',
    {
      config: { access: 'viewer' },
      schema: {
        summary: 'Error rate, p95 latency and throughput against the window before; error rate by service; recent deployments and flag changes; active incidents, alerts and approvals; unhealthy monitors',
        description:
          'Aggregated in the database over the window (default 5m) and the one before it; lists are capped and say how many there are in all. Figures come from Prometheus when services have `metrics:` (sampled in the background), else from check results. Answers are kept a few seconds and dropped when anything changes (see /api/stream).',
        tags: ['command center'],
        querystring: z.object({
          window: z
            .string()
            .optional()
            .transform((v, c) => {
              const ms = parseWindow(v);
              if (ms === undefined) {
                c.addIssue({ code: 'custom', message: `expected a duration from 1m to 1h such as "5m" or "15m", got ${JSON.stringify(v)}` });
                return z.NEVER;
              }
              return ms;
            })
            .describe('a duration from 1m to 1h, e.g. "15m" (default 5m)'),
        }),
        response: { 200: commandCenterSchema },
      },
    },
    async (request) => service.get(request.query.window),
  );
}
