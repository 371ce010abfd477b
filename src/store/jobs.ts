import { randomBytes } from 'node:crypto';
import { sql, type UpdateQueryBuilder, type UpdateResult } from 'kysely';
import type { z } from 'zod';
import { backoffDelay } from '../shared/backoff.js';
import { issuesLine } from '../shared/zod-issues.js';
import type { StoreDialect } from './dialect.js';
import { fromJson, toJson } from './json.js';
import type { Database, Row } from './schema.js';
import type { Db } from './store.js';

/**
 * The durable work queue (docs/ARCHITECTURE.md, "The jobs table"): every reaction to an event (a runbook run, a remediation attempt,
 * a verification, a notification) is a row here, written in the same transaction as the event. Workers
 * claim due rows with a lease; a crash leaves the lease to expire and another worker takes the row, so
 * nothing is lost, and a retry is a new attempt of the same row.
 */

export type JobStatus = 'pending' | 'running' | 'done' | 'failed';

export interface NewJob<P = unknown> {
  kind: string;
  payload?: P;
  incidentId?: number | null;
  /** Earliest time to run (default now). */
  runAt?: number;
  /** A job with the same key is enqueued at most once, ever. */
  idempotencyKey?: string;
  /**
   * Jobs with the same sequence key run one at a time, in the order they were enqueued: one is not
   * claimed while an earlier one of its key is pending (due or waiting out a retry) or running.
   */
  sequenceKey?: string;
  maxAttempts?: number;
}

export interface Job<P = unknown> {
  id: number;
  kind: string;
  incidentId: number | null;
  payload: P;
  status: JobStatus;
  runAt: number;
  /** Attempts so far, counting the one in progress. */
  attempts: number;
  maxAttempts: number;
  leaseOwner: string | null;
  leaseUntil: number | null;
  /** The claim this copy of the job was taken under; outcomes are written only while it holds. */
  leaseToken: string | null;
  idempotencyKey: string | null;
  lastError: string | null;
}

export const DEFAULT_MAX_ATTEMPTS = 5;
/** The longest a failed job waits for its next attempt, however many it has had. */
export const MAX_JOB_BACKOFF_MS = 3_600_000;

/**
 * What an outcome is written under: the job as it was claimed. Owner alone does not fence a late
 * attempt — a worker whose lease lapsed may claim the same job again itself, and the first attempt's
 * outcome must not settle the second's.
 */
export type JobClaim = Pick<Job, 'id' | 'leaseToken' | 'attempts' | 'maxAttempts'>;

/** What a job handler gets besides the job. */
export interface JobContext {
  /** Aborted when the process shuts down or the lease is lost. */
  signal: AbortSignal;
  owner: string;
}

/** A handler returns nothing (done), or asks to run again later without spending an attempt. */
export type JobResult = void | { deferUntil: number; payload?: unknown };
export type JobHandler = (job: Job, ctx: JobContext) => Promise<JobResult>;

/**
 * A job whose payload is not what its kind declares: no attempt can fix it, so the runner fails it for
 * good at once (JobQueue.giveUp) with this as its reason, instead of retrying it.
 */
export class JobPayloadError extends Error {
  override name = 'JobPayloadError';
}

/**
 * The handler of one job kind, whose payload is parsed by the kind's schema when the job is taken: the
 * handler gets it typed, and a payload that does not parse throws JobPayloadError before it runs.
 */
export function jobHandler<S extends z.ZodType>(kind: string, payload: S, handle: (job: Job<z.output<S>>, ctx: JobContext) => Promise<JobResult>): JobHandler {
  return async (job, ctx) => {
    const parsed = payload.safeParse(job.payload);
    if (!parsed.success) throw new JobPayloadError(`${kind} job ${job.id} has a bad payload: ${issuesLine(parsed.error)}`);
    return handle({ ...job, payload: parsed.data }, ctx);
  };
}

/** Thrown by a handler to retry no sooner than `delayMs` (a receiver's Retry-After, say). */
export class RetryLater extends Error {
  constructor(
    message: string,
    readonly delayMs: number,
  ) {
    super(message);
  }
}

function toJob(row: Row<'jobs'>): Job {
  return {
    id: Number(row.id),
    kind: row.kind,
    incidentId: row.incident_id === null ? null : Number(row.incident_id),
    payload: fromJson(row.payload, {}),
    status: row.status as JobStatus,
    runAt: row.run_at,
    attempts: row.attempts,
    maxAttempts: row.max_attempts,
    leaseOwner: row.lease_owner,
    leaseUntil: row.lease_until,
    leaseToken: row.lease_token,
    idempotencyKey: row.idempotency_key,
    lastError: row.last_error,
  };
}

export class JobQueue {
  constructor(private readonly dialect: StoreDialect) {}

  /**
   * Adds a job, in the caller's transaction when `db` is one. Returns its id, or undefined when a job
   * with the same idempotency key already exists.
   */
  async enqueue(db: Db, job: NewJob, now: number): Promise<number | undefined> {
    const row = await db
      .insertInto('jobs')
      .values({
        kind: job.kind,
        incident_id: job.incidentId ?? null,
        payload: toJson(job.payload ?? {}),
        status: 'pending',
        run_at: job.runAt ?? now,
        attempts: 0,
        max_attempts: job.maxAttempts ?? DEFAULT_MAX_ATTEMPTS,
        idempotency_key: job.idempotencyKey ?? null,
        sequence_key: job.sequenceKey ?? null,
        created_at: now,
        updated_at: now,
      })
      .onConflict((oc) => oc.column('idempotency_key').doNothing())
      .returning('id')
      .executeTakeFirst();
    return row ? Number(row.id) : undefined;
  }

  /**
   * Claims up to `limit` due jobs for `owner` until now + leaseMs. Due means pending with run_at passed,
   * or running with a lease that expired (its worker died). Each claim is a new attempt; a job whose
   * expired attempt was its last is marked failed rather than run again.
   */
  async claim(db: Db, options: { owner: string; now: number; leaseMs: number; limit: number; kinds?: string[] }): Promise<Job[]> {
    const { owner, now, leaseMs, limit, kinds } = options;
    return db.transaction().execute(async (trx) => {
      let due = trx
        .selectFrom('jobs')
        .select(['id', 'attempts', 'max_attempts'])
        .where((eb) =>
          eb.or([
            eb.and([eb('status', '=', 'pending'), eb('run_at', '<=', now)]),
            eb.and([eb('status', '=', 'running'), eb('lease_until', '<', now)]),
          ]),
        )
        .where((eb) =>
          eb.or([
            eb('sequence_key', 'is', null),
            eb.not(
              eb.exists(
                eb
                  .selectFrom('jobs as earlier')
                  .select('earlier.id')
                  .whereRef('earlier.sequence_key', '=', 'jobs.sequence_key')
                  .whereRef('earlier.id', '<', 'jobs.id')
                  .where('earlier.status', 'in', ['pending', 'running']),
              ),
            ),
          ]),
        )
        .orderBy('run_at')
        .orderBy('id')
        .limit(limit);
      if (kinds && kinds.length > 0) due = due.where('kind', 'in', kinds);
      const rows = await this.dialect.lockSkipLocked(due).execute();
      const exhausted = rows.filter((r) => r.attempts >= r.max_attempts).map((r) => Number(r.id));
      const runnable = rows.filter((r) => r.attempts < r.max_attempts).map((r) => Number(r.id));
      if (exhausted.length > 0) {
        await trx
          .updateTable('jobs')
          .set({ status: 'failed', lease_owner: null, lease_until: null, finished_at: now, updated_at: now, last_error: sql`coalesce(last_error, 'lease expired')` })
          .where('id', 'in', exhausted)
          .execute();
      }
      if (runnable.length === 0) return [];
      const leaseToken = randomBytes(9).toString('base64url');
      const claimed = await trx
        .updateTable('jobs')
        .set((eb) => ({
          status: 'running',
          lease_owner: owner,
          lease_until: now + leaseMs,
          lease_token: leaseToken,
          attempts: eb('attempts', '+', 1),
          updated_at: now,
        }))
        .where('id', 'in', runnable)
        .returningAll()
        .execute();
      return claimed.map(toJob).sort((a, b) => a.runAt - b.runAt || a.id - b.id);
    });
  }

  /** Extends a lease the claim still holds; false when it was lost (expired and claimed again). */
  async renew(db: Db, claim: JobClaim, owner: string, until: number, now: number): Promise<boolean> {
    const r = await whileHeld(db.updateTable('jobs').set({ lease_until: until, updated_at: now }), claim, owner).executeTakeFirst();
    return Number(r.numUpdatedRows) === 1;
  }

  /** Marks the job done; false when the claim no longer held (the late outcome is dropped). */
  async complete(db: Db, claim: JobClaim, owner: string, now: number): Promise<boolean> {
    const r = await whileHeld(db.updateTable('jobs').set({ status: 'done', lease_owner: null, lease_until: null, finished_at: now, updated_at: now }), claim, owner).executeTakeFirst();
    return Number(r.numUpdatedRows) === 1;
  }

  /**
   * Records a failed attempt: retried after an exponential backoff while attempts remain, else failed.
   * Returns the new status, or undefined when the owner no longer held the job.
   */
  async fail(db: Db, claim: JobClaim, owner: string, error: string, now: number, backoffMs = 5000, minDelayMs = 0): Promise<JobStatus | undefined> {
    // The claim's own attempt count: nobody else changes it while the claim holds, and if it no longer
    // holds nothing below is written.
    const final = claim.attempts >= claim.maxAttempts;
    const r = await whileHeld(db.updateTable('jobs').set({
        status: final ? 'failed' : 'pending',
        run_at: final ? now : now + Math.max(minDelayMs, backoffDelay(claim.attempts, { baseMs: backoffMs, capMs: MAX_JOB_BACKOFF_MS })),
        lease_owner: null,
        lease_until: null,
        last_error: error.slice(0, 4000),
        finished_at: final ? now : null,
        updated_at: now,
      }), claim, owner).executeTakeFirst();
    if (Number(r.numUpdatedRows) !== 1) return undefined;
    return final ? 'failed' : 'pending';
  }

  /**
   * Fails a claimed job for good whatever attempts it has left (its payload cannot be run), fenced by the
   * claim like any outcome; false when the claim no longer held.
   */
  async giveUp(db: Db, claim: JobClaim, owner: string, error: string, now: number): Promise<boolean> {
    return (await this.fail(db, { ...claim, attempts: claim.maxAttempts }, owner, error, now)) === 'failed';
  }

  /**
   * Puts a claimed job back to run later without spending an attempt (a job that waits for a cooldown or
   * an approval, not one that failed). Pass the run_at the job was claimed with so a `wake` that came
   * while it ran is not lost.
   */
  async defer(db: Db, claim: JobClaim, owner: string, runAt: number, now: number, payload?: unknown, claimedRunAt?: number): Promise<boolean> {
    const r = await whileHeld(db.updateTable('jobs').set((eb) => ({
        status: 'pending',
        // Woken while it ran (run_at no longer the one it was claimed with): keep the earlier time.
        run_at:
          claimedRunAt === undefined ? runAt : sql<number>`CASE WHEN run_at <> ${claimedRunAt} AND run_at < ${runAt} THEN run_at ELSE CAST(${runAt} AS bigint) END`,
        lease_owner: null,
        lease_until: null,
        attempts: eb('attempts', '-', 1),
        updated_at: now,
        ...(payload === undefined ? {} : { payload: toJson(payload) }),
      })), claim, owner).executeTakeFirst();
    return Number(r.numUpdatedRows) === 1;
  }

  /**
   * Makes a job due now (an approval was granted, say) instead of at the time it deferred to. A job that
   * is running right now (its handler just decided to wait) is woken too: its run_at changes, and
   * `defer` then keeps the earlier time. The new run_at always differs from the old one, even when the
   * clock has not moved, so that change is visible. Returns false when the job is finished or gone.
   */
  async wake(db: Db, id: number, now: number): Promise<boolean> {
    const r = await db
      .updateTable('jobs')
      .set({ run_at: sql<number>`CASE WHEN run_at = ${now} THEN CAST(${now - 1} AS bigint) ELSE CAST(${now} AS bigint) END`, updated_at: now })
      .where('id', '=', id)
      .where('status', 'in', ['pending', 'running'])
      .executeTakeFirst();
    return Number(r.numUpdatedRows) === 1;
  }

  async get(db: Db, id: number): Promise<Job | undefined> {
    const row = await db.selectFrom('jobs').selectAll().where('id', '=', id).executeTakeFirst();
    return row ? toJob(row) : undefined;
  }

  async list(db: Db, filter: { kind?: string; incidentId?: number; status?: JobStatus } = {}): Promise<Job[]> {
    let q = db.selectFrom('jobs').selectAll().orderBy('id');
    if (filter.kind) q = q.where('kind', '=', filter.kind);
    if (filter.incidentId !== undefined) q = q.where('incident_id', '=', filter.incidentId);
    if (filter.status) q = q.where('status', '=', filter.status);
    return (await q.execute()).map(toJob);
  }

  /** Deletes finished jobs older than the cutoff; returns how many. */
  async purgeFinished(db: Db, before: number): Promise<number> {
    const r = await db.deleteFrom('jobs').where('status', 'in', ['done', 'failed']).where('finished_at', '<', before).executeTakeFirst();
    return Number(r.numDeletedRows);
  }
}

/**
 * Fencing: an update of a job's outcome or lease applies only while the claim it was made under still
 * holds — same owner, same claim token, still running. A worker whose lease lapsed and whose job was
 * claimed again changes nothing.
 */
function whileHeld(q: UpdateQueryBuilder<Database, 'jobs', 'jobs', UpdateResult>, claim: JobClaim, owner: string) {
  return q.where('id', '=', claim.id).where('lease_owner', '=', owner).where('lease_token', '=', claim.leaseToken).where('status', '=', 'running');
}
