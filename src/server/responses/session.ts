import { z } from 'zod';
import { role } from '../../config/schema/common.js';

/** What the session routes answer (see incidents.ts beside this file for how these are shared). */

/** GET /api/me */
export const meSchema = z.object({ name: z.string(), role });
export type Me = z.infer<typeof meSchema>;

/** POST /api/stream/ticket */
export const streamTicketSchema = z.object({ ticket: z.string(), expiresAt: z.number() });
export type StreamTicket = z.infer<typeof streamTicketSchema>;

/**
 * What `change` events on /api/stream say changed (runtime/change-feed.ts watches one table for each):
 * a dashboard refreshes what shows that kind of data.
 */
export const CHANGE_KINDS = ['incidents', 'checks', 'flags', 'deployments'] as const;
export type ChangeKind = (typeof CHANGE_KINDS)[number];
