import { z } from 'zod';

/** What the on-call routes answer (see incidents.ts beside this file for how these are shared). */

export const shiftSchema = z.object({ person: z.string(), start: z.number(), end: z.number(), override: z.boolean() });
export type Shift = z.infer<typeof shiftSchema>;

/** GET /api/oncall: who is on call now and next, per schedule and per escalation policy. */
export const oncallOverviewSchema = z.object({
  at: z.number(),
  schedules: z.array(z.object({ name: z.string(), timezone: z.string(), current: shiftSchema.nullable(), next: shiftSchema.nullable(), upcoming: z.array(shiftSchema) })),
  policies: z.array(
    z.object({
      name: z.string(),
      page: z.enum(['immediately', 'on_escalation']),
      repeat: z.number(),
      levels: z.array(
        z.object({
          level: z.number(),
          afterMs: z.number(),
          targets: z.array(z.object({ target: z.string(), kind: z.enum(['schedule', 'person', 'channel']), name: z.string(), person: z.string().nullable() })),
        }),
      ),
      services: z.array(z.string()),
    }),
  ),
});
export type OncallOverview = z.infer<typeof oncallOverviewSchema>;
