import { z } from 'zod';
import { flagChangeFields } from '../../resolve/flags/records.js';

/** What the flag routes answer (see incidents.ts beside this file for how these are shared). */

const liveState = z.object({ enabled: z.boolean(), rollout: z.number(), version: z.number(), source: z.string(), definition: z.unknown().optional() });

export const flagChangeSchema = flagChangeFields.extend({
  before: liveState.nullable(),
  after: liveState.nullable(),
});

export const flagSummarySchema = z.object({
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
  lastChange: flagChangeSchema.nullable(),
});
export type Flag = z.infer<typeof flagSummarySchema>;

export const flagDetailsSchema = flagSummarySchema.extend({
  variants: z.record(z.string(), z.unknown()),
  defaultVariant: z.string(),
  offVariant: z.string(),
  rules: z.array(z.object({ when: z.string(), variant: z.string().nullable(), rollout: z.number().nullable() })),
  configured: z.object({ enabled: z.boolean(), rollout: z.number() }).nullable().describe('what medic.yaml says; the live state wins until that entry changes'),
  changes: z.array(flagChangeSchema).describe('newest first'),
});

/** GET /api/flags */
export const flagListSchema = z.object({ flags: z.array(flagSummarySchema) });
export type FlagList = z.infer<typeof flagListSchema>;
