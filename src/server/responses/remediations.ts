import { z } from 'zod';

/** What the remediation routes answer (see incidents.ts beside this file for how these are shared). */

export const attemptSchema = z.object({
  id: z.number(),
  incidentId: z.number(),
  rule: z.string(),
  attempt: z.number(),
  actionType: z.string(),
  status: z.string(),
  dryRun: z.boolean(),
  requestedAt: z.number(),
  startedAt: z.number().nullable(),
  finishedAt: z.number().nullable(),
  decidedBy: z.string().nullable(),
  output: z.string().nullable(),
  error: z.string().nullable(),
  alertName: z.string().nullable(),
  expiresAt: z.number().nullable(),
  durationMs: z.number().nullable(),
  details: z.record(z.string(), z.unknown()).nullable(),
});
export type Attempt = z.infer<typeof attemptSchema>;

/** GET /api/incidents/:id/remediations */
export const attemptListSchema = z.object({ attempts: z.array(attemptSchema) });
export type AttemptList = z.infer<typeof attemptListSchema>;
