import { z } from 'zod';
import { EVENT_TYPES } from '../incidents/index.js';

/** Response shapes shared by several routes (they document the API in OpenAPI too). */

export const phasesSchema = z.object({
  detect_ms: z.number().nullable(),
  diagnose_ms: z.number().nullable(),
  resolve_ms: z.number().nullable(),
  verify_ms: z.number().nullable(),
  mttr_ms: z.number().nullable(),
});

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

export const eventSchema = z.object({
  id: z.number(),
  incidentId: z.number(),
  at: z.number(),
  actor: z.string(),
  type: z.enum(EVENT_TYPES),
  payload: z.record(z.string(), z.unknown()),
  createdAt: z.number(),
});

type Tree = { service: string; alerts: string[]; affected: Tree[] };
export const affectedSchema: z.ZodType<Tree> = z.lazy(() => z.object({ service: z.string(), alerts: z.array(z.string()), affected: z.array(affectedSchema) }));

export const idParams = z.object({ id: z.coerce.number().int().positive() });
