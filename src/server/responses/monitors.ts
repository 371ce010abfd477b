import { z } from 'zod';

/** What the monitor routes answer (see incidents.ts beside this file for how these are shared). */

const runSchema = z.object({ started_at: z.number(), duration_ms: z.number(), status: z.string(), error: z.string().nullable(), trace_id: z.string().nullable(), trace_url: z.string().nullable() });

export const monitorSchema = z.object({
  id: z.number(),
  name: z.string(),
  service: z.string().nullable(),
  type: z.string(),
  status: z.string(),
  enabled: z.boolean(),
  last_run_at: z.number().nullable(),
  last_result: runSchema.nullable(),
  /** Fractions 0..1. */
  uptime: z.object({ '24h': z.number().nullable(), '7d': z.number().nullable(), '30d': z.number().nullable() }),
  /** Milliseconds, over the last 24 h. */
  latency: z.object({ p50: z.number().nullable(), p95: z.number().nullable() }),
  incident_id: z.number().nullable(),
});
export type MonitorSummary = z.infer<typeof monitorSchema>;

/** One assertion of a run (detect/checks/check.ts AssertionResult); `step` is the journey step, 1-based. */
export const assertionSchema = z.object({ name: z.string(), pass: z.boolean(), expected: z.unknown().optional(), actual: z.unknown().optional(), step: z.number().optional() });
export type Assertion = z.infer<typeof assertionSchema>;

export const resultSchema = runSchema.extend({ timings: z.record(z.string(), z.number()), details: z.array(assertionSchema), location: z.string() });
export type CheckResult = z.infer<typeof resultSchema>;

/** GET /api/monitors */
export const monitorListSchema = z.object({ monitors: z.array(monitorSchema), total: z.number() });
export type MonitorList = z.infer<typeof monitorListSchema>;

/** GET /api/monitors/:id/results, newest first */
export const resultListSchema = z.object({ results: z.array(resultSchema) });
export type ResultList = z.infer<typeof resultListSchema>;

/** GET /api/monitors/:id/stats */
export const monitorStatsSchema = z.object({
  since: z.number(),
  until: z.number(),
  runs: z.number(),
  availability: z.number().nullable(),
  error_rate: z.number().nullable(),
  avg_ms: z.number().nullable(),
  p50_ms: z.number().nullable(),
  p95_ms: z.number().nullable(),
  p99_ms: z.number().nullable(),
});
