import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { SEVERITIES } from '../../config/index.js';
import { alertCoverage, AUTOMATION_WINDOW_MS, automationReport, mttrSummary, postmortemDraft } from '../../report/index.js';
import type { AppContext } from '../context.js';
import { badRequest, notFound } from '../errors.js';
import { automationSchema, coverageSchema, mttrSummarySchema } from '../responses/reports.js';
import { idParams } from '../schemas.js';
import { parseTimeParam, timeQuery } from '../time-param.js';

/** Measuring MTTR: the report, alert coverage, incident types without automation, and an incident's postmortem draft. */

export async function reportRoutes(app: FastifyInstance, ctx: AppContext): Promise<void> {
  const r = app.withTypeProvider<ZodTypeProvider>();

  r.get(
    '/api/reports/mttr',
    {
      config: { access: 'viewer' },
      schema: {
        summary: 'MTTR per period and phase, maturity level and trend, bottleneck phase (minutes)',
        description:
          'Periods are calendar months or ISO weeks in UTC by detection time. Durations are minutes; `resolvedMinusDetected` is the usual resolved_at − detected_at definition, for comparison.',
        tags: ['reports'],
        querystring: z.object({
          by: z.enum(['month', 'week']).default('month'),
          since: timeQuery('detected at or after'),
          until: timeQuery('detected before'),
          service: z.string().min(1).optional(),
          severity: z.enum(SEVERITIES).optional(),
        }),
        response: { 200: mttrSummarySchema },
      },
    },
    async (request) => {
      const { by, service, severity } = request.query;
      const now = ctx.clock.now();
      const since = parseTimeParam(request.query.since, 'since', now);
      const until = parseTimeParam(request.query.until, 'until', now);
      if (since !== undefined && until !== undefined && until <= since) throw badRequest('until must be after since');
      return mttrSummary(ctx.store, {
        by,
        ...(since !== undefined ? { since } : {}),
        ...(until !== undefined ? { until } : {}),
        ...(service ? { service } : {}),
        ...(severity ? { severity } : {}),
        now,
      });
    },
  );

  r.get(
    '/api/reports/coverage',
    {
      config: { access: 'viewer' },
      schema: {
        summary: 'Alert coverage: each service × failure mode, the gaps, and each detector’s worst-case time to detect',
        description: '`ok` is false when a failure mode is not covered or a detector takes longer than `targetMs` (2 minutes) in the worst case.',
        tags: ['reports'],
        response: { 200: coverageSchema },
      },
    },
    async () => alertCoverage(ctx.store.db, ctx.loaded.config, ctx.clock.now()),
  );

  r.get(
    '/api/reports/automation',
    {
      config: { access: 'viewer' },
      schema: {
        summary: 'Incident types (alert name and service) by count, with time lost and median MTTR, and whether a runbook and a remediation rule match each',
        description: 'The ten most frequent types without a runbook or without a remediation rule come first (`top` of them), then the rest by count. Time lost is the sum of MTTR; both it and the median count recovered incidents. The window is the last 90 days unless `since` says otherwise.',
        tags: ['reports'],
        querystring: z.object({ since: timeQuery('detected at or after (default 90d)') }),
        response: { 200: automationSchema },
      },
    },
    async (request) => {
      const now = ctx.clock.now();
      const since = parseTimeParam(request.query.since, 'since', now) ?? now - AUTOMATION_WINDOW_MS;
      if (since >= now) throw badRequest('since must be in the past');
      return automationReport(ctx.store, ctx.loaded.config, { since, until: now });
    },
  );

  r.get(
    '/api/incidents/:id/postmortem',
    {
      config: { access: 'viewer' },
      schema: {
        summary: 'A postmortem draft of the incident, in Markdown',
        description: 'Summary, impact window, phases against the maturity targets, timeline, runbook findings, remediation, changes before the incident, root cause, follow-ups.',
        tags: ['reports', 'incidents'],
        params: idParams,
        produces: ['text/markdown'],
        response: { 200: z.string().describe('Markdown') },
      },
    },
    async (request, reply) => {
      const draft = await postmortemDraft(ctx.store.db, ctx.incidents, request.params.id, ctx.clock.now());
      if (draft === undefined) throw notFound(`no incident ${request.params.id}`);
      return reply.type('text/markdown; charset=utf-8').send(draft);
    },
  );
}
