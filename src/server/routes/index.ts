import type { FastifyInstance } from 'fastify';
import type { AppContext } from '../context.js';
import { alertRoutes } from './alerts.js';
import { healthRoutes } from './health.js';
import { incidentRoutes } from './incidents.js';
import { reportRoutes } from './reports.js';
import { silenceRoutes } from './silences.js';
import { tokenRoutes } from './tokens.js';

/** Every route module, in one list. */
export async function registerRoutes(app: FastifyInstance, ctx: AppContext): Promise<void> {
  for (const routes of [healthRoutes, tokenRoutes, alertRoutes, incidentRoutes, silenceRoutes, reportRoutes]) await routes(app, ctx);
}
