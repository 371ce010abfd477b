import { FIX_FLAG_LIKE, FIX_FLAG_TYPES, isFix, readEventBody, type Incident, type IncidentReactor } from '../incidents/index.js';
import { fromJson, type Db, type JobQueue } from '../store/index.js';
import { VERIFY_JOB, type VerifyJobPayload } from './job.js';

/**
 * Verification starts when a fix sets resolved_at (isFix: a `resolved` event, or any event whose payload
 * says `fix: true`: a remediation that succeeded, a rollback, a flag switched off). Exactly one verification
 * per fix: the first fix event after the last time resolved_at was cleared (`verification_failed`,
 * `reopened`) is the one, and its id is the job's idempotency key; later fix events of the same episode
 * are part of the same recovery.
 */

/** A verification that fails for a database hiccup is retried. */
const VERIFY_JOB_ATTEMPTS = 5;

export function verificationReactor(queue: JobQueue, now: () => number): IncidentReactor {
  return {
    name: 'verification',
    async onEvents(db, incident, events) {
      if (incident.status === 'closed' || incident.resolvedAt === null || !events.some(isFix)) return;
      const fix = await fixOfEpisode(db, incident);
      if (!fix || !events.some((e) => e.id === fix.id)) return;
      const payload: VerifyJobPayload = { incidentId: incident.id, fixEventId: fix.id, since: incident.resolvedAt };
      await queue.enqueue(db, { kind: VERIFY_JOB, incidentId: incident.id, payload, idempotencyKey: `verify:${incident.id}:${fix.id}`, maxAttempts: VERIFY_JOB_ATTEMPTS }, now());
    },
  };
}

/** The fix event that set the incident's current resolved_at. */
async function fixOfEpisode(db: Db, incident: Incident): Promise<{ id: number } | undefined> {
  const reset = await db
    .selectFrom('incident_events')
    .select((eb) => eb.fn.max('id').as('id'))
    .where('incident_id', '=', incident.id)
    .where('type', 'in', ['verification_failed', 'reopened'])
    .executeTakeFirst();
  const after = reset?.id == null ? 0 : Number(reset.id);
  // The pattern narrows the scan; the parse below decides.
  const candidates = await db
    .selectFrom('incident_events')
    .select(['id', 'type', 'payload'])
    .where('incident_id', '=', incident.id)
    .where('id', '>', after)
    .where((eb) => eb.or([eb('type', '=', 'resolved'), eb.and([eb('type', 'in', FIX_FLAG_TYPES), eb('payload', 'like', FIX_FLAG_LIKE)])]))
    .orderBy('id')
    .execute();
  const first = candidates.find((c) => isFix(readEventBody(c.type, fromJson(c.payload, {}))));
  return first ? { id: Number(first.id) } : undefined;
}
