import { z } from 'zod';
import { publicStatus } from '../../incidents/index.js';

/**
 * The public status page as data: what `GET /api/public/status` answers, and what the HTML page, the
 * Atom feed and the badges are rendered from. Nothing in it comes from an incident but what the public
 * may see: which listed services it affects, how badly, when, and its public updates.
 */

/** A service's state, worst last. */
export const SERVICE_STATES = ['operational', 'degraded', 'partial_outage', 'major_outage'] as const;
export const serviceState = z.enum(SERVICE_STATES);
export type ServiceState = z.infer<typeof serviceState>;

/** A day's bar: the service's state that day, or no_data when nothing ran and nothing happened. */
export const dayLevelSchema = z.enum(['no_data', ...SERVICE_STATES]);
export type DayLevel = z.infer<typeof dayLevelSchema>;

export const publicUpdateSchema = z.object({
  status: publicStatus,
  message: z.string(),
  at: z.iso.datetime().describe('ISO 8601, UTC'),
  automatic: z.boolean().describe('true: derived from the incident\'s phases; false: written by a responder'),
});
export type PublicUpdate = z.infer<typeof publicUpdateSchema>;

export const publicIncidentSchema = z.object({
  id: z.number(),
  title: z.string(),
  impact: serviceState.exclude(['operational']),
  status: publicStatus,
  active: z.boolean(),
  services: z.array(z.string()).describe('the listed services it affects'),
  started_at: z.iso.datetime(),
  resolved_at: z.iso.datetime().nullable(),
  updates: z.array(publicUpdateSchema).describe('newest first'),
});
export type PublicIncident = z.infer<typeof publicIncidentSchema>;

export const dayBarSchema = z.object({
  date: z.iso.date().describe('the UTC day'),
  uptime: z.number().nullable().describe('share of check runs that passed (degraded runs passed), 0..1; null without runs'),
  incidents: z.number().describe('public incidents that were active that day'),
  level: dayLevelSchema,
});
export type DayBar = z.infer<typeof dayBarSchema>;

export const publicServiceSchema = z.object({
  name: z.string(),
  state: serviceState,
  uptime: z.number().nullable().describe('over the whole history window, 0..1'),
  days: z.array(dayBarSchema).describe('oldest first; the last is today so far'),
});
export type PublicService = z.infer<typeof publicServiceSchema>;

export const statusPageSchema = z.object({
  title: z.string(),
  state: serviceState.describe('major_outage when every listed service is out, partial_outage when some are, degraded when any is'),
  generated_at: z.iso.datetime(),
  services: z.array(publicServiceSchema),
  active_incidents: z.array(publicIncidentSchema),
  recent_incidents: z.array(publicIncidentSchema).describe('resolved within the last 14 days, newest first'),
});
export type StatusPage = z.infer<typeof statusPageSchema>;

/** Words for each state, shared by the page, the feed and the badge. */
export const STATE_TEXT: Record<ServiceState, string> = {
  operational: 'Operational',
  degraded: 'Degraded performance',
  partial_outage: 'Partial outage',
  major_outage: 'Major outage',
};
