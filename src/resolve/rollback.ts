import { remediationAction } from '../config/index.js';
import { appendEvents, IncidentActionError, lockOpenForService, openForService } from '../incidents/index.js';
import { buildIncidentEnv, type IncidentRef } from '../diagnose/steps/env.js';
import { toJson } from '../store/index.js';
import { executeAction } from './actions/index.js';
import type { ResolveContext } from './context.js';

/**
 * `medic rollback <service>` and `POST /api/services/:name/rollback`: the "make rollback a
 * one-command operation". Runs the service's configured `rollback` command (the `rollback` executor),
 * records it as a deployment (`rollback: true`, the version rolled back to when Medic knows it) and as a
 * `rolled_back` event on each open incident of the service: the fix, which sets resolved_at and starts
 * verification. A rollback that fails is on those timelines too, as no fix.
 */

/** A person-run rollback gets longer than an automatic action's default minute. */
export const MANUAL_ROLLBACK_TIMEOUT = '10m';

export interface RollbackResult {
  ok: boolean;
  service: string;
  output: string;
  error?: string;
  durationMs: number;
  deploymentId: number | null;
  /** The version rolled back to: the deployment before the latest one, when Medic has both. */
  version: string | null;
  incidentIds: number[];
}

export async function rollbackService(ctx: ResolveContext, serviceName: string, actor: string, signal: AbortSignal = new AbortController().signal): Promise<RollbackResult> {
  const service = ctx.config.services.find((s) => s.name === serviceName);
  if (!service) throw new IncidentActionError('not_found', `no service ${JSON.stringify(serviceName)} in services:`);
  if (!service.rollback) throw new IncidentActionError('conflict', `service ${serviceName} has no rollback command (set services[].rollback in medic.yaml)`);

  const { store, clock } = ctx.incidents;
  // The oldest open incident stands for the service in the command's environment.
  const [first] = await openForService(store.db, serviceName, { order: 'oldest' });
  const ref: IncidentRef = first
    ? { id: first.id, service: serviceName, alertName: first.alertName, severity: first.severity, labels: first.labels }
    : { id: 0, service: serviceName, alertName: null, severity: 'P4', labels: { service: serviceName } };
  const action = remediationAction.parse({ type: 'rollback', service: serviceName, timeout: MANUAL_ROLLBACK_TIMEOUT });
  const outcome = await executeAction(action, {
    incident: ref,
    env: buildIncidentEnv(ref),
    signal,
    timeoutMs: action.timeout,
    redactor: ctx.redactor,
    baseDir: ctx.baseDir,
    services: ctx.config.services,
    kubernetes: ctx.config.kubernetes,
    flags: ctx.flags,
    actor,
  });

  return store.transaction(async (trx) => {
    const now = clock.now();
    let deploymentId: number | null = null;
    let version: string | null = null;
    if (outcome.ok) {
      const recent = await trx.selectFrom('deployments').select(['version', 'rollback']).where('service', '=', serviceName).orderBy('deployed_at', 'desc').orderBy('id', 'desc').limit(2).execute();
      version = recent.length === 2 && recent[0]!.rollback === 0 ? recent[1]!.version : null;
      const row = await trx
        .insertInto('deployments')
        .values({
          service: serviceName,
          version: version ?? 'rollback',
          commit_sha: null,
          url: null,
          actor,
          rollback: 1,
          deployed_at: now,
          metadata: toJson({ command: service.rollback, output: outcome.output, duration_ms: Math.round(outcome.durationMs) }),
        })
        .returning('id')
        .executeTakeFirstOrThrow();
      deploymentId = Number(row.id);
    }
    // Re-read under lock: the incidents may have moved while the command ran.
    const current = await lockOpenForService(trx, ctx.incidents, serviceName);
    for (const incident of current) {
      await appendEvents(trx, ctx.incidents, incident, [
        {
          type: 'rolled_back',
          actor,
          payload: {
            service: serviceName,
            ok: outcome.ok,
            output: outcome.output,
            duration_ms: Math.round(outcome.durationMs),
            ...(outcome.error !== undefined ? { error: outcome.error } : {}),
            ...(deploymentId !== null ? { deployment_id: deploymentId } : {}),
            ...(version !== null ? { version } : {}),
            ...(outcome.ok ? { fix: true } : {}),
          },
        },
      ]);
    }
    return {
      ok: outcome.ok,
      service: serviceName,
      output: outcome.output,
      ...(outcome.error !== undefined ? { error: outcome.error } : {}),
      durationMs: outcome.durationMs,
      deploymentId,
      version,
      incidentIds: current.map((i) => i.id),
    };
  });
}
