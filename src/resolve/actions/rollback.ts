import type { ServiceConfig } from '../../config/index.js';
import { runShell } from '../../shared/process.js';
import { type ActionContext, type ActionExecutor, type ActionOfType } from './action.js';
import { actionProcessSpec, processOutcome } from './process-outcome.js';

/**
 * `rollback` — runs the service's own `rollback:` command from `services:` (e.g. `kubectl rollout undo
 * deployment/payment-service -n payments`), for `action.service` or else the incident's service. The
 * article's "make rollback a one-command operation": the command is written once, next to the service.
 */

function target(action: ActionOfType<'rollback'>, ctx: Pick<ActionContext, 'incident' | 'services'>): { name: string | null; service?: ServiceConfig } {
  const name = action.service ?? ctx.incident.service;
  if (name === null) return { name };
  const service = ctx.services.find((s) => s.name === name);
  return service ? { name, service } : { name };
}

export const rollbackExecutor: ActionExecutor<'rollback'> = {
  type: 'rollback',
  async execute(action, ctx) {
    const { name, service } = target(action, ctx);
    if (name === null) throw new Error('rollback needs a service: the incident has none and the action names none (set action.service)');
    if (!service) throw new Error(`cannot roll back ${JSON.stringify(name)}: no such service in services:`);
    if (!service.rollback) throw new Error(`service ${JSON.stringify(name)} has no rollback command (set services[].rollback in medic.yaml)`);
    const result = await runShell(service.rollback, actionProcessSpec(ctx));
    const outcome = processOutcome(result, ctx.timeoutMs);
    return { ...outcome, details: { ...outcome.details, service: name } };
  },
  describe(action, ctx) {
    const { name, service } = target(action, ctx);
    if (name === null) return 'roll back the incident’s service: none known (would fail)';
    if (!service?.rollback) return `roll back ${name}: no rollback command configured (would fail)`;
    return `roll back ${name}: ${service.rollback}`;
  },
};
