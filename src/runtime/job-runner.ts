import { setTimeout as wait } from 'node:timers/promises';
import { backoffDelay, type Backoff } from '../shared/backoff.js';
import type { Clock } from '../shared/clock.js';
import type { Logger } from '../shared/logger.js';
import { JobPayloadError, RetryLater, type Job, type JobContext, type JobHandler, type JobQueue, type Store } from '../store/index.js';
import { instanceId } from './bootstrap.js';

/**
 * Runs jobs from the durable queue: claims due ones with a lease, hands each to the handler for its
 * kind, renews the lease while the handler works, and records the outcome. A handler that throws has
 * its job retried with backoff; one that returns `{ deferUntil }` waits without spending an attempt; a
 * job whose payload its kind cannot parse (JobPayloadError) fails for good at once.
 *
 * The database may go away under it (a PostgreSQL restart): the loop never crashes. Claiming backs off
 * (doubling, with jitter, up to `maxBackoffMs`) and says so once, then once more when it is back. A
 * job's outcome that cannot be written is written again until it can (or the runner stops), and a
 * handler that failed because the database was unavailable runs again without spending an attempt.
 */

export type { JobContext, JobHandler };

export interface JobRunnerOptions {
  store: Store;
  queue: JobQueue;
  handlers: Record<string, JobHandler>;
  clock: Clock;
  logger: Logger;
  leaseMs: number;
  concurrency: number;
  /** How often to look for due jobs when idle. */
  pollMs?: number;
  /** First retry delay; doubles per attempt. */
  backoffMs?: number;
  /** Longest wait between two claims while the database is unavailable (default 5 s). */
  maxBackoffMs?: number;
  owner?: string;
}

export class JobRunner {
  readonly owner: string;
  private running = new Map<number, Promise<void>>();
  private timer: NodeJS.Timeout | undefined;
  private stopping = false;
  private readonly shutdown = new AbortController();
  private polling: Promise<void> | undefined;
  /** Claims that failed in a row (the database is unavailable); 0 when the last one worked. */
  private failures = 0;
  private failingSince = 0;

  constructor(private readonly o: JobRunnerOptions) {
    this.owner = o.owner ?? instanceId();
  }

  start(): void {
    this.schedule(0);
  }

  /** Looks for work now (e.g. right after enqueueing), instead of at the next poll. */
  poke(): void {
    // While claims fail, the backoff decides when to look again.
    if (!this.stopping && this.failures === 0) this.schedule(0);
  }

  /** Stops claiming, waits for running jobs (up to `graceMs`), then aborts what is left. */
  async stop(graceMs = 8000): Promise<void> {
    this.stopping = true;
    if (this.timer) clearTimeout(this.timer);
    await this.polling;
    const all = Promise.allSettled([...this.running.values()]);
    await Promise.race([all, wait(graceMs, undefined, { ref: false })]);
    this.shutdown.abort();
    await all;
  }

  /** Claims and runs one batch; returns how many jobs were started. Exposed for tests. */
  async tick(): Promise<number> {
    const free = this.o.concurrency - this.running.size;
    if (free <= 0 || this.stopping) return 0;
    const kinds = Object.keys(this.o.handlers);
    const jobs = await this.o.queue.claim(this.o.store.db, {
      owner: this.owner,
      now: this.o.clock.now(),
      leaseMs: this.o.leaseMs,
      limit: free,
      kinds,
    });
    for (const job of jobs) {
      const p = this.run(job).finally(() => {
        this.running.delete(job.id);
        this.poke();
      });
      this.running.set(job.id, p);
    }
    return jobs.length;
  }

  /** Waits until every job started so far has finished. */
  async idle(): Promise<void> {
    while (this.running.size > 0) await Promise.allSettled([...this.running.values()]);
  }

  private schedule(ms: number): void {
    if (this.stopping) return;
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.polling = this.poll();
    }, ms);
    this.timer.unref?.();
  }

  private async poll(): Promise<void> {
    const { logger } = this.o;
    const pollMs = this.o.pollMs ?? 500;
    let started: number;
    try {
      started = await this.tick();
      if (this.failures > 0) {
        logger.info({ failedClaims: this.failures, downMs: Date.now() - this.failingSince }, 'the database answers again; the job runner resumes');
        this.failures = 0;
      }
    } catch (err) {
      if (this.failures === 0) {
        this.failingSince = Date.now();
        logger.warn({ err }, 'claiming jobs failed; backing off until the database answers');
      } else {
        logger.debug({ err, failedClaims: this.failures + 1 }, 'claiming jobs failed again');
      }
      this.failures++;
      this.schedule(backoffDelay(this.failures, this.outageBackoff(pollMs)));
      return;
    }
    // A full batch suggests more is due: look again at once; otherwise wait for the next poll.
    this.schedule(started > 0 && this.running.size < this.o.concurrency ? 0 : pollMs);
  }

  private async run(job: Job): Promise<void> {
    const { queue, store, clock, logger } = this.o;
    const handler = this.o.handlers[job.kind];
    const abort = new AbortController();
    const onShutdown = () => abort.abort(new Error('shutting down'));
    this.shutdown.signal.addEventListener('abort', onShutdown, { once: true });
    // Renew at a third of the lease, so one slow database round trip never loses it.
    const renew = setInterval(() => {
      queue.renew(store.db, job, this.owner, clock.now() + this.o.leaseMs, clock.now()).then(
        (held) => {
          if (!held) abort.abort(new Error('lease lost'));
        },
        () => {},
      );
    }, Math.max(50, Math.floor(this.o.leaseMs / 3)));
    renew.unref?.();
    try {
      if (!handler) throw new Error(`no handler for job kind ${job.kind}`);
      const result = await handler(job, { signal: abort.signal, owner: this.owner });
      if (result && 'deferUntil' in result) await this.settle(() => queue.defer(store.db, job, this.owner, result.deferUntil, clock.now(), result.payload, job.runAt));
      else await this.settle(() => queue.complete(store.db, job, this.owner, clock.now()));
      logger.debug({ jobId: job.id, kind: job.kind, attempt: job.attempts, deferred: !!result }, result ? 'job deferred' : 'job done');
    } catch (err) {
      const message = err instanceof Error ? err.message : String(err);
      if (store.dialect.isUnavailable(err)) {
        // Not the job's fault: it runs again once the database is back, and keeps its attempts.
        const retryAt = clock.now() + Math.min(this.o.backoffMs ?? 5000, 1000);
        const deferred = await this.settle(() => queue.defer(store.db, job, this.owner, retryAt, clock.now())).catch(() => false);
        logger.warn({ jobId: job.id, kind: job.kind, attempt: job.attempts, err: message, deferred }, 'job interrupted: the database is unavailable; it runs again once it answers');
        return;
      }
      if (err instanceof JobPayloadError) {
        // Running it again would fail the same way: it fails now, with the reason on the job.
        const failed = await this.settle(() => queue.giveUp(store.db, job, this.owner, message, clock.now())).catch(() => false);
        logger.error({ jobId: job.id, kind: job.kind, attempt: job.attempts, err: message, failed }, 'job failed for good: its payload is not what its kind declares');
        return;
      }
      // A handler that says when to retry (its own backoff, a Retry-After) is taken at its word.
      const [backoff, minDelay] = err instanceof RetryLater ? [0, err.delayMs] : [this.o.backoffMs ?? 5000, 0];
      const status = await this.settle(() => queue.fail(store.db, job, this.owner, message, clock.now(), backoff, minDelay)).catch(() => undefined);
      logger[status === 'failed' ? 'error' : 'warn']({ jobId: job.id, kind: job.kind, attempt: job.attempts, err: message }, status === 'failed' ? 'job failed for good' : 'job failed; will retry');
    } finally {
      clearInterval(renew);
      this.shutdown.signal.removeEventListener('abort', onShutdown);
    }
  }

  /**
   * Writes a job's outcome, again and again while the database is unavailable, so that a job that ran
   * during an outage is not run a second time when its lease expires. Gives up when the runner is
   * stopped for good (the lease then expires and another claim runs the job again).
   */
  private async settle<T>(write: () => Promise<T>): Promise<T> {
    for (let attempt = 1; ; attempt++) {
      try {
        return await write();
      } catch (err) {
        if (!this.o.store.dialect.isUnavailable(err) || this.shutdown.signal.aborted) throw err;
        if (attempt === 1) this.o.logger.warn({ err }, 'recording a job outcome failed: the database is unavailable; retrying');
        // Stopping ends the wait early: one last write, and then the error is thrown.
        await wait(backoffDelay(attempt, this.outageBackoff(100)), undefined, { signal: this.shutdown.signal }).catch(() => undefined);
      }
    }
  }

  /** While the database is unavailable: doubling from `baseMs` up to maxBackoffMs, ±20% so that many workers do not retry in step. */
  private outageBackoff(baseMs: number): Backoff {
    return { baseMs, capMs: this.o.maxBackoffMs ?? 5000, jitter: 0.2 };
  }
}
