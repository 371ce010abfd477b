import { IncidentActionError, openForService } from '../incidents/index.js';
import type { VerifyContext } from './context.js';
import { VERIFY_JOB, type VerifyJobPayload } from './job.js';

/**
 * `POST /api/services/:name/verify`: a responder asks Medic to verify a service's recovery now, for its
 * newest open incident (the one verification closes). Runs as a `verify.service` job like every other.
 */
export async function startVerification(ctx: VerifyContext, service: string): Promise<{ incidentId: number; jobId: number }> {
  if (!ctx.config.services.some((s) => s.name === service)) throw new IncidentActionError('not_found', `no service ${JSON.stringify(service)} in services:`);
  const { store, clock } = ctx.incidents;
  return store.transaction(async (trx) => {
    const [incident] = await openForService(trx, service, { order: 'newest' });
    if (!incident) throw new IncidentActionError('conflict', `${service} has no open incident to verify (medic verify ${service} watches it without one)`);
    const now = clock.now();
    const payload: VerifyJobPayload = { incidentId: incident.id, fixEventId: null, since: incident.resolvedAt ?? now };
    const jobId = await ctx.queue.enqueue(trx, { kind: VERIFY_JOB, incidentId: incident.id, payload, idempotencyKey: `verify:${incident.id}:manual:${now}` }, now);
    if (jobId === undefined) throw new IncidentActionError('conflict', `a verification of incident ${incident.id} was started this very moment`);
    return { incidentId: incident.id, jobId };
  });
}
