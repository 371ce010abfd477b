import { z } from 'zod';

/** What the report routes answer (see incidents.ts beside this file for how these are shared). */

const minutes = z.number().nullable();
const phaseStats = z.object({ mean: minutes, median: minutes, share: z.number().nullable() });
export const periodStatsSchema = z.object({
  period: z.string(),
  start: z.number().nullable(),
  end: z.number().nullable(),
  incidents: z.number(),
  mttr: z.object({ mean: minutes, median: minutes, p90: minutes, max: minutes }),
  phases: z.object({ detect: phaseStats, diagnose: phaseStats, resolve: phaseStats, verify: phaseStats }),
  resolvedMinusDetected: z.object({ incidents: z.number(), mean: minutes, median: minutes }),
  acknowledge: z.object({ incidents: z.number(), median: minutes, p90: minutes, share: z.number().nullable() }).describe('Time to acknowledge (acknowledged_at − detected_at) over the acknowledged incidents.'),
});
const phase = z.enum(['detect', 'diagnose', 'resolve', 'verify', 'acknowledge']);

export const mttrSummarySchema = z.object({
  report: z.object({
    by: z.enum(['month', 'week']),
    since: z.number().nullable(),
    until: z.number().nullable(),
    service: z.string().nullable(),
    severity: z.string().nullable(),
    periods: z.array(periodStatsSchema),
    total: periodStatsSchema,
  }),
  maturity: z.object({
    level: z.enum(['Elite', 'Advanced', 'Intermediate', 'Basic', 'Below Basic']).nullable(),
    medianMinutes: minutes,
    incidents: z.number(),
    previous: z.object({ since: z.number(), until: z.number(), medianMinutes: minutes, incidents: z.number() }).nullable(),
    trend: z.enum(['improving', 'worsening', 'flat']).nullable(),
  }),
  bottleneck: z.object({ phase, share: z.number(), meanMinutes: minutes, medianMinutes: minutes, lever: z.string() }).nullable(),
});
export type PeriodStats = z.infer<typeof periodStatsSchema>;
export type MttrSummary = z.infer<typeof mttrSummarySchema>;

export const failureModeSchema = z.enum(['availability', 'latency', 'error_rate', 'dependency']);
const modeCoverage = z.object({ covered: z.boolean(), by: z.array(z.string()), throughDependencies: z.boolean().optional() });

export const coverageSchema = z.object({
  targetMs: z.number(),
  services: z.array(
    z.object({
      service: z.string(),
      configured: z.boolean(),
      modes: z.object({ availability: modeCoverage, latency: modeCoverage, error_rate: modeCoverage, dependency: modeCoverage }),
      gaps: z.array(failureModeSchema),
    }),
  ),
  detectors: z.array(
    z.object({
      kind: z.enum(['monitor', 'alert', 'received']),
      name: z.string(),
      service: z.string().nullable(),
      modes: z.array(failureModeSchema),
      source: z.string(),
      classifiedBy: z.string().optional(),
      worstCaseMs: z.number().nullable(),
      parts: z.array(z.string()),
      slow: z.string().nullable(),
    }),
  ),
  summary: z.object({ services: z.number(), gaps: z.number(), servicesWithGaps: z.number(), slow: z.number(), unclassified: z.number() }),
  ok: z.boolean(),
});
export type FailureMode = z.infer<typeof failureModeSchema>;
export type Coverage = z.infer<typeof coverageSchema>;

/** GET /api/reports/automation: incident types ranked, the ten worst without automation first. */
export const automationSchema = z.object({
  since: z.number(),
  until: z.number(),
  types: z.array(
    z.object({
      alert: z.string().nullable(),
      service: z.string().nullable(),
      incidents: z.number(),
      time_lost_ms: z.number(),
      median_mttr_ms: z.number().nullable(),
      runbook: z.boolean(),
      remediation: z.boolean(),
    }),
  ),
  top: z.number().describe('How many of `types` lead the list as the ten worst without a runbook or a remediation rule'),
});
export type Automation = z.infer<typeof automationSchema>;
