import { z } from 'zod';
import { EVENT_TYPES } from '../../incidents/events.js';

/**
 * What the incident routes answer. The routes check their answers against these (Fastify's serializer,
 * fastify-type-provider-zod), and the dashboard takes its types from them (`import type` only, so no
 * server code reaches the browser bundle). Imports stay leaf files: web/tsconfig.json typechecks them.
 */

export const phasesSchema = z.object({
  detect_ms: z.number().nullable(),
  diagnose_ms: z.number().nullable(),
  resolve_ms: z.number().nullable(),
  verify_ms: z.number().nullable(),
  mttr_ms: z.number().nullable(),
});
export type Phases = z.infer<typeof phasesSchema>;

export const incidentSchema = z.object({
  id: z.number(),
  fingerprint: z.string(),
  title: z.string(),
  service: z.string().nullable(),
  severity: z.string(),
  labels: z.record(z.string(), z.string()),
  status: z.string(),
  source: z.string(),
  alertName: z.string().nullable(),
  parentId: z.number().nullable(),
  groupKey: z.string().nullable(),
  cause: z.string().nullable(),
  startedAt: z.number().nullable(),
  detectedAt: z.number().nullable(),
  acknowledgedAt: z.number().nullable(),
  diagnosedAt: z.number().nullable(),
  resolvedAt: z.number().nullable(),
  verifiedAt: z.number().nullable(),
  closedAt: z.number().nullable(),
  phases: phasesSchema,
  reopenCount: z.number(),
  externalId: z.string().nullable(),
  createdAt: z.number(),
  updatedAt: z.number(),
});
export type Incident = z.infer<typeof incidentSchema>;

export const eventSchema = z.object({
  id: z.number(),
  incidentId: z.number(),
  at: z.number(),
  actor: z.string(),
  type: z.enum(EVENT_TYPES),
  payload: z.record(z.string(), z.unknown()),
  text: z.string().describe('the event in one line, as the CLI and notifications say it (incidents/describe.ts)'),
  createdAt: z.number(),
});
export type TimelineEvent = z.infer<typeof eventSchema>;

/** The services an incident reaches through the dependency graph, as a tree. */
export type Affected = { service: string; alerts: string[]; affected: Affected[] };
export const affectedSchema: z.ZodType<Affected> = z.lazy(() => z.object({ service: z.string(), alerts: z.array(z.string()), affected: z.array(affectedSchema) }));

export const incidentAlertSchema = z.object({
  id: z.number(),
  name: z.string(),
  fingerprint: z.string(),
  service: z.string().nullable(),
  severity: z.string(),
  status: z.string(),
  source: z.string(),
  startsAt: z.number(),
  receivedAt: z.number(),
  generatorUrl: z.string().nullable(),
  labels: z.record(z.string(), z.string()),
});

/** GET /api/incidents */
export const incidentListSchema = z.object({ incidents: z.array(incidentSchema), total: z.number() });
export type IncidentList = z.infer<typeof incidentListSchema>;

/** Last time this happened: an earlier incident like this one. */
export const similarIncidentSchema = z.object({
  id: z.number(),
  title: z.string(),
  startedAt: z.number().nullable(),
  mttrMs: z.number().nullable(),
  phases: phasesSchema,
  cause: z.string().nullable(),
  fix: z.string().nullable(),
  postmortem: z.string().nullable(),
});

/** GET /api/incidents/:id */
export const incidentDetailsSchema = z.object({
  incident: incidentSchema,
  timeline: z.array(eventSchema),
  alerts: z.array(incidentAlertSchema),
  affected: affectedSchema.nullable(),
  similar: z.array(similarIncidentSchema),
});
export type IncidentDetails = z.infer<typeof incidentDetailsSchema>;
