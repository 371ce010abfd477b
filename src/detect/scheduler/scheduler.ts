import { hostname } from 'node:os';
import { randomBytes } from 'node:crypto';
import type { Registry } from 'prom-client';
import type { MonitorConfig, Redactor } from '../../config/index.js';
import type { IncidentContext } from '../../incidents/index.js';
import type { Clock } from '../../shared/clock.js';
import type { Logger } from '../../shared/logger.js';
import type { Store } from '../../store/index.js';
import { runCheck, type CheckOutcome } from '../checks/index.js';
import { ANY_LOCATION } from '../monitors/sync.js';
import { schedulerMetrics, type SchedulerMetrics } from './metrics.js';
import { degradedChanged, openMonitorIncident, recoverMonitorIncident } from './monitor-incidents.js';
import { claimDue, pruneResults, releaseLeases, renewLeases, writeFinished, type ClaimedRun, type FinishedRun } from './schedule-store.js';
import { stepStreak, type ScheduleStatus } from './state.js';
import { ResultBuffer } from './result-buffer.js';
import { Semaphore } from './semaphore.js';

/**
 * Runs due monitors. Every `tickMs` it claims the runs due within `lookaheadMs` (leased, so no other
 * worker runs them), starts each at its due time under a concurrency bound, and hands the finished runs
 * to a buffer that one flush writes in batches. Transitions (down, recovered) go to the incident core at
 * once — they are rare, and they are what time to detect is made of.
 *
 * Any number of schedulers may share a database: leases decide who runs what, and a dead worker's runs
 * become due for the others when its lease (renewed every third of `leaseMs`) expires.
 */

export interface SchedulerDeps {
  store: Store;
  clock: Clock;
  logger: Logger;
  metrics: Registry;
  incidents: IncidentContext;
  redactor: Redactor;
  /** The monitors of the config this process loaded, by name; read on every run, so a reload takes effect. */
  monitors(): ReadonlyMap<string, MonitorConfig>;
  retentionMs: number;
  /** How long hourly rollups are kept (default: retentionMs). */
  rollupRetentionMs?: number;
  /** Called with each run's lag (ms past its due time); benchmarks record the distribution. */
  onLag?: (ms: number) => void;
}

export interface SchedulerOptions {
  owner?: string;
  /** This worker's location; it runs monitors without `locations:` and those that list it. */
  location?: string;
  concurrency?: number;
  leaseMs?: number;
  tickMs?: number;
  lookaheadMs?: number;
  flushMs?: number;
  /** Finished runs kept while the database is unreachable; the oldest are dropped beyond it. */
  maxBuffered?: number;
}

const PRUNE_EVERY = 10 * 60_000;

export class Scheduler {
  readonly owner: string;
  readonly location: string;
  private readonly o: Required<Omit<SchedulerOptions, 'owner' | 'location'>>;
  private readonly metrics: SchedulerMetrics;
  private readonly slots: Semaphore;
  private readonly buffer: ResultBuffer;
  private readonly abort = new AbortController();
  /** Claimed runs not yet finished (waiting for their due time or a slot, or running). */
  private readonly pending = new Map<number, ClaimedRun>();
  private readonly inflight = new Set<Promise<void>>();
  private timers: NodeJS.Timeout[] = [];
  private readonly waiting = new Map<number, NodeJS.Timeout>();
  private running = false;
  private claiming = false;
  private lastPrune = 0;
  private lastFlush = 0;
  /** The earliest next run among the buffered results (they hold it back until written). */
  private soonestNextRun = Infinity;
  private claimFailures = 0;

  constructor(
    private readonly deps: SchedulerDeps,
    options: SchedulerOptions = {},
  ) {
    this.owner = options.owner ?? `${hostname()}:${process.pid}:${randomBytes(3).toString('hex')}`;
    this.location = options.location ?? 'default';
    const leaseMs = options.leaseMs ?? 5_000;
    const lookaheadMs = options.lookaheadMs ?? 1_000;
    // A flush is one transaction, and its cost is mostly per page it touches, not per row: at 500
    // checks/s a flush every 250 ms wrote the same schedule, monitor and index pages over and over. A
    // flush every second (a fifth of the lease at most) keeps results one second behind at worst, far
    // inside the lease that protects them — except that a run's next turn cannot be claimed before its
    // result is written, so a result whose next run is due within a claim's reach is flushed at the
    // next tick (flushIfDue). Claims stay frequent: a claim refills at most 4 × concurrency runs, and
    // claiming less often left slots idle while a backlog (a start, a slow spell) drained.
    this.o = {
      concurrency: options.concurrency ?? 100,
      leaseMs,
      tickMs: options.tickMs ?? 200,
      lookaheadMs,
      flushMs: options.flushMs ?? Math.max(50, Math.min(1_000, Math.floor(leaseMs / 5))),
      maxBuffered: options.maxBuffered ?? 100_000,
    };
    this.metrics = schedulerMetrics(deps.metrics);
    this.slots = new Semaphore(this.o.concurrency);
    this.buffer = new ResultBuffer(this.o.maxBuffered, (n) => this.metrics.dropped(n));
    this.lastPrune = deps.clock.now() - PRUNE_EVERY + 60_000;
  }

  private get locations(): string[] {
    return [ANY_LOCATION, this.location];
  }

  start(): void {
    if (this.running) return;
    this.running = true;
    // A task still running when its next turn comes skips that turn: a slow database must not pile
    // up flushes or renewals behind one another.
    const every = (ms: number, fn: () => Promise<unknown>) => {
      let busy = false;
      const t = setInterval(() => {
        if (busy) return;
        busy = true;
        void fn()
          .catch((err: unknown) => this.deps.logger.warn({ err }, 'scheduler task failed'))
          .finally(() => (busy = false));
      }, ms);
      this.timers.push(t);
    };
    every(this.o.tickMs, () => this.claim());
    every(this.o.tickMs, () => this.flushIfDue());
    // Only leases with less than two thirds of their time left are rewritten: most runs are claimed,
    // run and flushed within a second or two, so their fresh leases never are (rewriting every held row
    // each time cost as many row writes as the results themselves). Renewing every sixth of the lease,
    // a held lease still has half of it left at worst when the next renewal comes, and survives a
    // renewal skipped behind a slow database.
    every(Math.max(100, Math.floor(this.o.leaseMs / 6)), () => {
      const now = this.deps.clock.now();
      return renewLeases(this.deps.store.db, this.owner, now + this.o.leaseMs, now + Math.floor((2 * this.o.leaseMs) / 3));
    });
    every(60_000, () => this.prune());
    this.deps.logger.info({ owner: this.owner, location: this.location, concurrency: this.o.concurrency }, 'scheduler started');
  }

  /** Stops claiming, lets runs in flight finish (they are aborted after `graceMs`), writes what it holds. */
  async stop(graceMs = 5_000): Promise<void> {
    if (!this.running) return;
    this.running = false;
    for (const t of this.timers) clearInterval(t);
    this.timers = [];
    // Runs not started yet go back to the pool at once instead of waiting for the lease to expire.
    for (const [id, t] of this.waiting) {
      clearTimeout(t);
      this.pending.delete(id);
    }
    const notStarted = [...this.waiting.keys()];
    this.waiting.clear();
    const abortTimer = setTimeout(() => this.abort.abort(), graceMs);
    await Promise.allSettled([...this.inflight]);
    clearTimeout(abortTimer);
    await this.flushAll();
    await releaseLeases(this.deps.store.db, this.owner, notStarted).catch(() => {});
    this.deps.logger.info({ owner: this.owner }, 'scheduler stopped');
  }

  /**
   * Claims what is due now, runs it and writes the results, then returns how many ran. The loop's
   * work in one call: tests drive the scheduler with it and a manual clock.
   */
  async runDue(): Promise<number> {
    const claimed = await claimDue(this.deps.store.db, this.deps.store.dialect, { owner: this.owner, locations: this.locations, now: this.deps.clock.now(), lookaheadMs: 0, leaseMs: this.o.leaseMs, limit: 10_000 });
    await Promise.all(claimed.map((run) => this.execute(run)));
    await this.flushAll();
    return claimed.length;
  }

  private async claim(): Promise<void> {
    if (!this.running || this.claiming) return;
    // Bound what a worker holds: a backlog beyond a few rounds of slots is better left to other workers.
    const room = this.o.concurrency * 4 - this.pending.size;
    if (room <= 0) return;
    this.claiming = true;
    try {
      const now = this.deps.clock.now();
      const claimed = await claimDue(this.deps.store.db, this.deps.store.dialect, { owner: this.owner, locations: this.locations, now, lookaheadMs: this.o.lookaheadMs, leaseMs: this.o.leaseMs, limit: Math.min(room, 2_000) });
      this.claimFailures = 0;
      for (const run of claimed) {
        this.pending.set(run.scheduleId, run);
        const delay = Math.max(0, run.dueAt - this.deps.clock.now());
        const t = setTimeout(() => {
          this.waiting.delete(run.scheduleId);
          this.track(this.execute(run));
        }, delay);
        this.waiting.set(run.scheduleId, t);
      }
    } catch (err) {
      // The database is away: log once in a while, keep running what was claimed, try again next tick.
      if (this.claimFailures++ % 25 === 0) this.deps.logger.warn({ err }, 'claiming due monitors failed; retrying');
    } finally {
      this.claiming = false;
    }
  }

  private track(p: Promise<void>): void {
    this.inflight.add(p);
    void p.finally(() => this.inflight.delete(p));
  }

  private async execute(run: ClaimedRun): Promise<void> {
    const monitor = this.deps.monitors().get(run.name);
    if (!monitor) {
      // Removed from this process's config (a reload on the way): leave it to the sync to disable.
      this.pending.delete(run.scheduleId);
      await releaseLeases(this.deps.store.db, this.owner, [run.scheduleId]).catch(() => {});
      return;
    }
    const release = await this.slots.acquire();
    let outcome: CheckOutcome;
    let startedAt: number;
    try {
      startedAt = this.deps.clock.now();
      const lag = Math.max(0, startedAt - run.dueAt);
      this.metrics.lag(lag);
      this.deps.onLag?.(lag);
      outcome = await runCheck(monitor, { signal: this.abort.signal, now: () => this.deps.clock.now(), lastPingAt: run.lastPingAt, monitorCreatedAt: run.createdAt, redact: (text) => this.deps.redactor.redact(text) });
    } finally {
      release();
    }
    try {
      await this.finish(run, monitor, outcome, startedAt);
    } catch (err) {
      this.deps.logger.error({ err, monitor: run.name }, 'recording a check run failed');
    } finally {
      this.pending.delete(run.scheduleId);
    }
  }

  private async finish(run: ClaimedRun, monitor: MonitorConfig, outcome: CheckOutcome, startedAt: number): Promise<void> {
    const finishedAt = this.deps.clock.now();
    this.metrics.observe(monitor.name, outcome);
    const step = stepStreak(run.streak, { status: outcome.status, startedAt, finishedAt }, monitor, run.dueAt);
    let monitorStatus: ScheduleStatus = step.state.status;
    if (step.transition === 'down') {
      try {
        const incidentId = await openMonitorIncident(this.deps.incidents, monitor, { monitorId: run.monitorId, location: run.location, failingSince: step.state.failingSince ?? startedAt, outcome });
        // Down here, not yet confirmed by enough locations: the monitor as a whole is not down.
        if (incidentId === null) monitorStatus = 'up';
      } catch (err) {
        // Not recorded: keep the streak short of the transition, so the next run makes it again.
        this.deps.logger.error({ err, monitor: monitor.name }, 'opening an incident for a failing monitor failed; the next run retries');
        step.state.status = run.streak.status;
        monitorStatus = run.streak.status;
      }
    } else if (step.transition === 'recovered') {
      try {
        await recoverMonitorIncident(this.deps.incidents, monitor, { monitorId: run.monitorId, location: run.location, at: finishedAt, durationMs: outcome.timings.total_ms });
      } catch (err) {
        this.deps.logger.error({ err, monitor: monitor.name }, 'recording a monitor recovery failed; the next run retries');
        step.state = { ...run.streak, consecutiveSuccesses: step.state.consecutiveSuccesses };
        monitorStatus = 'down';
      }
    } else if ((step.transition === 'degraded' || step.transition === 'undegraded') && monitor.notify_degraded) {
      await degradedChanged(this.deps.incidents, monitor, step.transition === 'degraded', startedAt, outcome).catch((err: unknown) => this.deps.logger.warn({ err, monitor: monitor.name }, 'recording a degraded monitor failed'));
    }
    const redact = (text: string) => (this.deps.redactor.size > 0 ? this.deps.redactor.redact(text) : text);
    const finished: FinishedRun = {
      scheduleId: run.scheduleId,
      leaseToken: run.leaseToken,
      monitorId: run.monitorId,
      location: run.location,
      startedAt,
      durationMs: outcome.timings.total_ms,
      status: outcome.status,
      error: outcome.error === undefined ? null : redact(outcome.error),
      timings: JSON.stringify(outcome.timings),
      details: redact(JSON.stringify(outcome.assertions)),
      traceId: outcome.traceId ?? null,
      streak: step.state,
      nextRunAt: step.nextRunAt,
      monitorStatus,
    };
    this.buffer.push(finished);
    if (finished.nextRunAt < this.soonestNextRun) this.soonestNextRun = finished.nextRunAt;
  }

  /** Flushes every flushMs, and sooner when a buffered result holds back a run a claim would take. */
  private async flushIfDue(): Promise<void> {
    const now = this.deps.clock.now();
    if (this.buffer.size === 0) return;
    if (now - this.lastFlush < this.o.flushMs && this.soonestNextRun > now + this.o.lookaheadMs + this.o.tickMs) return;
    this.lastFlush = now;
    this.soonestNextRun = Infinity;
    await this.flush();
  }

  private async flush(): Promise<void> {
    const batch = this.buffer.take(2_000);
    if (batch.length === 0) return;
    let fenced: number;
    try {
      ({ fenced } = await writeFinished(this.deps.store.db, this.deps.store.dialect, this.owner, batch));
    } catch (err) {
      this.buffer.putBack(batch);
      throw err;
    }
    if (fenced > 0) {
      // This worker was too slow (or cut off) and another claimed the runs since: theirs count, not these.
      this.metrics.fenced(fenced);
      this.deps.logger.warn({ fenced, owner: this.owner }, 'check results dropped: their lease had passed to another claim');
    }
  }

  private async flushAll(): Promise<void> {
    for (let guard = 0; this.buffer.size > 0 && guard < 1_000; guard++) await this.flush();
  }

  private async prune(): Promise<void> {
    const now = this.deps.clock.now();
    if (now - this.lastPrune < PRUNE_EVERY) return;
    this.lastPrune = now;
    const deleted = await pruneResults(this.deps.store.db, now - this.deps.retentionMs, now - Math.max(this.deps.retentionMs, this.deps.rollupRetentionMs ?? 0));
    if (deleted > 0) this.deps.logger.info({ deleted }, 'pruned old check results');
  }

  /** Drops the metric series of monitors no longer in the config. */
  forget(monitors: readonly string[]): void {
    for (const m of monitors) this.metrics.forget(m);
  }

  /** Finished runs waiting to be written (tests and shutdown). */
  get buffered(): number {
    return this.buffer.size;
  }
}
