import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { alertmanagerBody, IngestError, normalizeAlertmanager, normalizePagerDuty, normalizeWebhook, pagerDutyError, pagerDutyEvent, webhookBody } from '../../detect/ingest/index.js';
import { ingestAlerts } from '../../incidents/index.js';
import type { AppContext } from '../context.js';

/**
 * Alert ingest. Each body is validated completely before anything is written, so a bad delivery gets a
 * 400 naming the field and stores nothing; a good one is recorded in one transaction. The zod schemas
 * document the bodies in OpenAPI; validation itself is the normalizers', whose messages name the field.
 */

const results = z.object({
  received: z.number(),
  results: z.array(z.object({ fingerprint: z.string(), outcome: z.string(), incidentId: z.number().nullable() })),
});
const errorBody = z.object({ error: z.string(), message: z.string(), issues: z.array(z.object({ path: z.string(), message: z.string() })).optional() });

/** Documents the body without validating it here (the normalizer does, with better messages). */
const documentOnly = () => (data: unknown) => ({ value: data });

export async function alertRoutes(app: FastifyInstance, ctx: AppContext): Promise<void> {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const config = { access: 'responder' as const, queryToken: true };

  r.post(
    '/api/alerts/alertmanager',
    {
      config,
      validatorCompiler: documentOnly,
      schema: {
        summary: "Prometheus Alertmanager's webhook (payload version 4)",
        description: 'Point a `webhook_configs` receiver here with a responder token (`http_config.authorization`).',
        tags: ['alerts'],
        body: alertmanagerBody,
        response: { 200: results.extend({ truncatedAlerts: z.number(), groupKey: z.string() }), 400: errorBody },
      },
    },
    async (request) => {
      const normalized = normalizeAlertmanager(request.body);
      if (normalized.truncatedAlerts > 0) {
        request.log.warn({ groupKey: normalized.groupKey, truncatedAlerts: normalized.truncatedAlerts }, 'Alertmanager left alerts out of this delivery (max_alerts)');
      }
      const out = await ingestAlerts(ctx.incidents, normalized.alerts, actorOf(request.principal?.name, 'alertmanager'));
      return { received: out.length, results: out, truncatedAlerts: normalized.truncatedAlerts, groupKey: normalized.groupKey };
    },
  );

  r.post(
    '/api/alerts/webhook',
    {
      config,
      validatorCompiler: documentOnly,
      schema: {
        summary: 'Generic JSON alerts: one object or an array',
        tags: ['alerts'],
        body: webhookBody,
        response: { 200: results, 400: errorBody },
      },
    },
    async (request) => {
      const { alerts } = normalizeWebhook(request.body, { clock: ctx.clock });
      const out = await ingestAlerts(ctx.incidents, alerts, actorOf(request.principal?.name, 'webhook'));
      return { received: out.length, results: out };
    },
  );

  r.post(
    '/api/alerts/pagerduty/v2/enqueue',
    {
      config,
      validatorCompiler: documentOnly,
      schema: {
        summary: 'PagerDuty Events API v2 (trigger, acknowledge, resolve)',
        description: 'Tools that can send to PagerDuty can send to Medic: set the events URL to this path.',
        tags: ['alerts'],
        body: pagerDutyEvent,
        response: {
          202: z.object({ status: z.string(), message: z.string(), dedup_key: z.string() }),
          // PagerDuty's own error shape for a bad event; Medic's for a body that is not JSON at all.
          400: z.union([z.object({ status: z.string(), message: z.string(), errors: z.array(z.string()) }), errorBody]),
        },
      },
    },
    async (request, reply) => {
      let normalized;
      try {
        normalized = normalizePagerDuty(request.body, { clock: ctx.clock });
      } catch (err) {
        if (err instanceof IngestError) return reply.code(400).send(pagerDutyError(err));
        throw err;
      }
      await ingestAlerts(ctx.incidents, [normalized.alert], actorOf(request.principal?.name, 'pagerduty'));
      return reply.code(202).send(normalized.response);
    },
  );
}

const actorOf = (token: string | undefined, source: string) => (token ? `${source}:${token}` : source);
