import { fromJson, toJson, type Db, type Row } from '../../store/index.js';

/**
 * Remediation attempts, one row each, numbered 1, 2, … per incident and rule. The numbers are unique
 * in the database (remediation_attempts_once), and the next one is allocated while the incident's row is
 * locked, so the `max_auto_attempts` limit holds across workers and restarts.
 */

export type AttemptStatus = 'awaiting_approval' | 'approved' | 'rejected' | 'expired' | 'running' | 'succeeded' | 'failed' | 'dry_run' | 'skipped';

export interface RemediationAttempt {
  id: number;
  incidentId: number;
  rule: string;
  attempt: number;
  actionType: string;
  status: AttemptStatus;
  dryRun: boolean;
  requestedAt: number;
  startedAt: number | null;
  finishedAt: number | null;
  decidedBy: string | null;
  output: string | null;
  error: string | null;
  jobId: number | null;
  alertName: string | null;
  fingerprint: string | null;
  expiresAt: number | null;
  durationMs: number | null;
  details: Record<string, unknown> | null;
}

export function toAttempt(r: Row<'remediation_attempts'>): RemediationAttempt {
  return {
    id: Number(r.id),
    incidentId: Number(r.incident_id),
    rule: r.rule_name,
    attempt: r.attempt,
    actionType: r.action_type,
    status: r.status as AttemptStatus,
    dryRun: r.dry_run === 1,
    requestedAt: r.requested_at,
    startedAt: r.started_at,
    finishedAt: r.finished_at,
    decidedBy: r.decided_by,
    output: r.output,
    error: r.error,
    jobId: r.job_id === null ? null : Number(r.job_id),
    alertName: r.alert_name,
    fingerprint: r.fingerprint,
    expiresAt: r.expires_at,
    durationMs: r.duration_ms,
    details: r.details === null ? null : fromJson(r.details, {}),
  };
}

/** The attempts of one rule on one incident, oldest first. */
export async function listAttempts(db: Db, incidentId: number, rule?: string): Promise<RemediationAttempt[]> {
  let q = db.selectFrom('remediation_attempts').selectAll().where('incident_id', '=', incidentId);
  if (rule !== undefined) q = q.where('rule_name', '=', rule);
  return (await q.orderBy('rule_name').orderBy('attempt').execute()).map(toAttempt);
}

export async function getAttempt(db: Db, id: number): Promise<RemediationAttempt | undefined> {
  const row = await db.selectFrom('remediation_attempts').selectAll().where('id', '=', id).executeTakeFirst();
  return row ? toAttempt(row) : undefined;
}

/** A row to insert: the attempt without what the database assigns or later steps fill in. */
export type NewAttempt = Omit<RemediationAttempt, 'id' | 'startedAt' | 'finishedAt' | 'output' | 'expiresAt' | 'decidedBy' | 'error' | 'durationMs' | 'details'> &
  Partial<Pick<RemediationAttempt, 'startedAt' | 'finishedAt' | 'output' | 'expiresAt'>>;

export async function insertAttempt(db: Db, a: NewAttempt): Promise<RemediationAttempt> {
  const row = await db
    .insertInto('remediation_attempts')
    .values({
      incident_id: a.incidentId,
      rule_name: a.rule,
      attempt: a.attempt,
      action_type: a.actionType,
      status: a.status,
      dry_run: a.dryRun ? 1 : 0,
      requested_at: a.requestedAt,
      started_at: a.startedAt ?? null,
      finished_at: a.finishedAt ?? null,
      decided_by: null,
      output: a.output ?? null,
      error: null,
      job_id: a.jobId,
      alert_name: a.alertName,
      fingerprint: a.fingerprint,
      expires_at: a.expiresAt ?? null,
      duration_ms: null,
      details: null,
    })
    .returningAll()
    .executeTakeFirstOrThrow();
  return toAttempt(row);
}

export interface AttemptUpdate {
  status: AttemptStatus;
  startedAt?: number;
  finishedAt?: number;
  decidedBy?: string;
  output?: string;
  error?: string | null;
  durationMs?: number;
  details?: Record<string, unknown>;
}

/**
 * Moves an attempt from one status to another; false when it was no longer in `from` (another worker
 * or a responder got there first), so each transition happens once.
 */
export async function transitionAttempt(db: Db, id: number, from: AttemptStatus, to: AttemptUpdate): Promise<boolean> {
  const r = await db
    .updateTable('remediation_attempts')
    .set({
      status: to.status,
      ...(to.startedAt !== undefined ? { started_at: to.startedAt } : {}),
      ...(to.finishedAt !== undefined ? { finished_at: to.finishedAt } : {}),
      ...(to.decidedBy !== undefined ? { decided_by: to.decidedBy } : {}),
      ...(to.output !== undefined ? { output: to.output } : {}),
      ...(to.error !== undefined ? { error: to.error } : {}),
      ...(to.durationMs !== undefined ? { duration_ms: to.durationMs } : {}),
      ...(to.details !== undefined ? { details: toJson(to.details) } : {}),
    })
    .where('id', '=', id)
    .where('status', '=', from)
    .executeTakeFirst();
  return Number(r.numUpdatedRows) === 1;
}
