import { z } from 'zod';
import { duration } from '../units.js';

/** `status_page:` — the public page: which services the public sees, and how much of their past. */

const DAY = 86_400_000;
/** Paths the API, OFREP and the dashboard's own files live under: the page may not shadow them. */
const RESERVED = ['/api', '/ofrep', '/assets', '/healthz', '/metrics'];

export const statusPagePath = z
  .string()
  .regex(/^(\/[a-z0-9][a-z0-9._-]*)+$/i, 'expected a path such as "/status": a "/", then letters, digits, ".", "-" or "_" (no trailing "/", no query)')
  .refine((p) => !RESERVED.some((r) => p.toLowerCase() === r || p.toLowerCase().startsWith(`${r}/`)), {
    message: `must not be under ${RESERVED.join(', ')} (Medic serves those)`,
  });

export const statusPage = z.strictObject({
  title: z.string().trim().min(1).max(200).default('Status').describe('The page\'s heading and the Atom feed\'s title.'),
  path: statusPagePath.default('/status').describe('Where the page is served, without a token; the Atom feed is this path followed by /feed.atom.'),
  services: z
    .array(z.string().trim().min(1))
    .default([])
    .describe('The only services the public sees (default: none). A service not listed, its monitors and its incidents do not exist for the page.'),
  history: duration()
    .prefault('90d')
    .refine((ms) => ms >= DAY && ms <= 365 * DAY && ms % DAY === 0, 'expected whole days from 1d to 365d, such as "90d"')
    .describe('Days of uptime shown per service, one bar a day (UTC). Hourly roll-ups are kept at least this long.'),
  show_automatic_updates: z.boolean().default(true).describe('The incident\'s phases become public updates by themselves: investigating when detected, identified when diagnosed, monitoring while the fix is verified, resolved when verified.'),
  rate_limit_per_minute: z.number().int().min(1).default(300).describe('Requests per client address per minute to the public page, feed, JSON and badge; past it, 429 (the address honours server.trust_proxy).'),
});
export type StatusPageConfig = z.infer<typeof statusPage>;
