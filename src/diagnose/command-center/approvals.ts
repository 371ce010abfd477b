import type { Db } from '../../store/index.js';
import type { CommandCenterApproval } from './schema.js';

/**
 * Remediation attempts waiting for a person to approve or reject them: a fix that is ready and only
 * needs a yes is the quickest win on the screen. Read through the active incidents (attempts are
 * indexed by incident), oldest request first.
 */
export async function waitingApprovals(db: Db, limit: number): Promise<{ total: number; items: CommandCenterApproval[] }> {
  const waiting = db
    .selectFrom('remediation_attempts')
    .where('status', '=', 'awaiting_approval')
    .where('incident_id', 'in', (eb) => eb.selectFrom('incidents').select('id').where('status', '<>', 'closed'));
  const [rows, count] = await Promise.all([
    waiting.select(['id', 'incident_id', 'rule_name', 'action_type', 'requested_at', 'expires_at']).orderBy('requested_at').orderBy('id').limit(limit).execute(),
    waiting.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow(),
  ]);
  return {
    total: Number(count.n),
    items: rows.map((r) => ({
      attemptId: Number(r.id),
      incidentId: Number(r.incident_id),
      rule: r.rule_name,
      actionType: r.action_type,
      requestedAt: r.requested_at,
      expiresAt: r.expires_at,
    })),
  };
}
