import type { FastifyInstance } from 'fastify';
import type { AppContext } from '../context.js';
import { ackRoutes } from './ack.js';
import { alertRoutes } from './alerts.js';
import { commandCenterRoutes } from './command-center.js';
import { deploymentRoutes } from './deployments.js';
import { healthRoutes } from './health.js';
import { flagRoutes } from './flags.js';
import { incidentRoutes } from './incidents.js';
import { monitorRoutes } from './monitors.js';
import { oncallRoutes } from './oncall.js';
import { remediationRoutes } from './remediations.js';
import { serviceRoutes } from './services.js';
import { sessionRoutes } from './session.js';
import { ofrepRoutes } from './ofrep.js';
import { reportRoutes } from './reports.js';
import { silenceRoutes } from './silences.js';
import { statusPageRoutes } from './status-page.js';
import { tokenRoutes } from './tokens.js';

/** Every route module, in one list. */
export async function registerRoutes(app: FastifyInstance, ctx: AppContext): Promise<void> {
  for (const routes of [healthRoutes, tokenRoutes, sessionRoutes, alertRoutes, incidentRoutes, silenceRoutes, deploymentRoutes, serviceRoutes, remediationRoutes, flagRoutes, ofrepRoutes, reportRoutes, monitorRoutes, commandCenterRoutes, statusPageRoutes, oncallRoutes, ackRoutes]) await routes(app, ctx);
}
