import type { FastifyInstance } from 'fastify';
import type { AppContext } from '../context.js';
import { deploymentRoutes } from './deployments.js';
import { healthRoutes } from './health.js';
import { remediationRoutes } from './remediations.js';
import { serviceRoutes } from './services.js';
import { tokenRoutes } from './tokens.js';

/** Every route module, in one list. */
export async function registerRoutes(app: FastifyInstance, ctx: AppContext): Promise<void> {
  for (const routes of [healthRoutes, tokenRoutes, deploymentRoutes, serviceRoutes, remediationRoutes]) await routes(app, ctx);
}
