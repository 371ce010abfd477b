import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import type { Clock } from '../shared/clock.js';
import type { Logger } from '../shared/logger.js';
import { RetryLater, type Job, type JobContext, type JobHandler, type JobQueue, type Store } from '../store/index.js';

/**
 * Runs jobs from the durable queue: claims due ones with a lease, hands each to the handler for its
 * kind, renews the lease while the handler works, and records the outcome. A handler that throws has
 * its job retried with backoff; one that returns `{ deferUntil }` waits without spending an attempt.
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
  owner?: string;
}

export function workerId(): string {
  return `${hostname()}:${process.pid}:${randomBytes(3).toString('hex')}`;
}

export class JobRunner {
  readonly owner: string;
  private running = new Map<number, Promise<void>>();
  private timer: NodeJS.Timeout | undefined;
  private stopping = false;
  private readonly shutdown = new AbortController();
  private polling: Promise<void> | undefined;

  constructor(private readonly o: JobRunnerOptions) {
    this.owner = o.owner ?? workerId();
  }

  start(): void {
    this.schedule(0);
  }

  /** Looks for work now (e.g. right after enqueueing), instead of at the next poll. */
  poke(): void {
    if (!this.stopping) this.schedule(0);
  }

  /** Stops claiming, waits for running jobs (up to `graceMs`), then aborts what is left. */
  async stop(graceMs = 8000): Promise<void> {
    this.stopping = true;
    if (this.timer) clearTimeout(this.timer);
    await this.polling;
    const all = Promise.allSettled([...this.running.values()]);
    const timeout = new Promise((resolve) => setTimeout(resolve, graceMs).unref());
    await Promise.race([all, timeout]);
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
    let started = 0;
    try {
      started = await this.tick();
    } catch (err) {
      this.o.logger.warn({ err }, 'claiming jobs failed; will retry');
    }
    // A full batch suggests more is due: look again at once; otherwise wait for the next poll.
    this.schedule(started > 0 && this.running.size < this.o.concurrency ? 0 : (this.o.pollMs ?? 500));
  }

  private async run(job: Job): Promise<void> {
    const { queue, store, clock, logger } = this.o;
    const handler = this.o.handlers[job.kind];
    const abort = new AbortController();
    const onShutdown = () => abort.abort(new Error('shutting down'));
    this.shutdown.signal.addEventListener('abort', onShutdown, { once: true });
    // Renew at a third of the lease, so one slow database round trip never loses it.
    const renew = setInterval(() => {
      queue.renew(store.db, job.id, this.owner, clock.now() + this.o.leaseMs, clock.now()).then(
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
      if (result && 'deferUntil' in result) await queue.defer(store.db, job.id, this.owner, result.deferUntil, clock.now(), result.payload, job.runAt);
      else await queue.complete(store.db, job.id, this.owner, clock.now());
    } catch (err) {
      const message = err instanceof Error ? err.message : String(err);
      // A handler that says when to retry (its own backoff, a Retry-After) is taken at its word.
      const [backoff, minDelay] = err instanceof RetryLater ? [0, err.delayMs] : [this.o.backoffMs ?? 5000, 0];
      const status = await queue.fail(store.db, job.id, this.owner, message, clock.now(), backoff, minDelay).catch(() => undefined);
      logger[status === 'failed' ? 'error' : 'warn']({ jobId: job.id, kind: job.kind, attempt: job.attempts, err: message }, status === 'failed' ? 'job failed for good' : 'job failed; will retry');
    } finally {
      clearInterval(renew);
      this.shutdown.signal.removeEventListener('abort', onShutdown);
    }
  }
}
