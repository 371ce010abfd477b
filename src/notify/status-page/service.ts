import type { StatusPageConfig } from '../../config/index.js';
import { setImmediate as yieldToRequests } from 'node:timers/promises';
import type { Clock } from '../../shared/clock.js';
import { IdleSubscription, type ChangeSource } from '../../shared/idle-subscription.js';
import type { Store } from '../../store/index.js';
import { DailyRollups, readIncidents, readMonitors } from './read.js';
import { RenderWorker, type ComputeInput } from './renderer.js';
import { Snapshot } from './snapshot.js';
import { historyDays } from './state.js';

/**
 * The status page for a server, cheap for the public: one computation serves every request for a few
 * seconds (`ttlMs`), and each rendering (HTML, JSON, Atom, a badge) is made once per computation. An
 * incident change (a public update, a phase) starts a new computation at once, so a new update shows
 * within the change feed's second plus the computation. Check results arrive all the time and are not a
 * reason to recompute: the kept answer is at most `ttlMs` behind them.
 *
 * Stale while revalidating: past `ttlMs`, or after an incident change, the kept answer is still served
 * while the next one is computed, so a request waits for a computation only when there is no answer to
 * serve: none yet, one older than `staleMs`, or one kept while the change feed was let go (nobody asked
 * for `idleMs`), which may predate changes nobody saw. Computations run one at a time; the reads run
 * here, the computation and the renderings in the render worker (renderer.ts), off the event loop that
 * serves the API and runs the checks.
 */

export interface StatusPageServiceOptions {
  store: Store;
  page: StatusPageConfig;
  clock: Clock;
  changes?: ChangeSource;
  /** server.public_url, for the feed's absolute links. */
  publicUrl?: string | undefined;
  ttlMs?: number;
  staleMs?: number;
  /** The change feed is let go after this long without a request. */
  idleMs?: number;
}

interface Kept {
  snapshot: Snapshot;
  at: number;
  generation: number;
}

export class StatusPageService {
  private kept: Kept | undefined;
  /** The computation running or queued; `generation` is undefined until it starts (it will see the newest). */
  private inflight: { promise: Promise<Snapshot>; generation: number | undefined } | undefined;
  private generation = 0;
  private readonly rollups: DailyRollups;
  private readonly feed: IdleSubscription;
  private readonly worker = new RenderWorker();
  private readonly ttlMs: number;
  private readonly staleMs: number;

  constructor(private readonly options: StatusPageServiceOptions) {
    this.rollups = new DailyRollups();
    this.ttlMs = options.ttlMs ?? 5000;
    this.staleMs = options.staleMs ?? 60_000;
    this.feed = new IdleSubscription(options.changes, options.idleMs ?? 60_000, {
      // Changes made while nobody listened were not seen: what is kept may predate them, and is not served.
      subscribe: () => {
        this.invalidate();
        this.kept = undefined;
      },
      change: (kind) => {
        if (kind !== 'incidents') return;
        this.invalidate();
        this.compute().catch(() => undefined);
      },
    });
  }

  get(): Promise<Snapshot> {
    this.feed.touch();
    const kept = this.kept;
    if (kept && this.options.clock.now() - kept.at < this.staleMs) {
      if (kept.generation !== this.generation || this.options.clock.now() - kept.at >= this.ttlMs) this.compute().catch(() => undefined);
      return Promise.resolve(kept.snapshot);
    }
    return this.compute();
  }

  /** Marks what is kept as out of date: the next request starts a new computation (and is served the kept answer meanwhile). */
  invalidate(): void {
    this.generation++;
  }

  private compute(): Promise<Snapshot> {
    const running = this.inflight;
    if (running && (running.generation === undefined || running.generation === this.generation)) return running.promise;
    const entry: { promise: Promise<Snapshot>; generation: number | undefined } = { promise: undefined!, generation: undefined };
    entry.promise = (async () => {
      // One at a time: a change during a computation starts the next after it, not beside it.
      await running?.promise.catch(() => undefined);
      const generation = (entry.generation = this.generation);
      const at = this.options.clock.now();
      const input = await this.load(at);
      const { id, made } = await this.worker.compute({ ...input, page: { ...input.page, path: this.options.page.path } }, this.kept?.snapshot.wanted() ?? []);
      const snapshot = new Snapshot(id, this.worker, this.options, made);
      if (!this.kept || generation >= this.kept.generation) this.kept = { snapshot, at, generation };
      return snapshot;
    })();
    this.inflight = entry;
    // A failed computation is not kept: the next request tries again.
    const done = () => {
      if (this.inflight === entry) this.inflight = undefined;
    };
    entry.promise.then(done, done);
    return entry.promise;
  }

  private async load(now: number): Promise<Omit<ComputeInput, 'page'> & { page: StatusPageConfig }> {
    const { store, page } = this.options;
    const { first } = historyDays(now, page.history);
    // Each read runs on the event loop (SQLite's entirely): requests served from the kept answer get
    // their turn between them.
    const monitors = await readMonitors(store, page.services);
    await yieldToRequests();
    const rollups = await this.rollups.read(store, monitors.services, first, now);
    await yieldToRequests();
    const incidents = await readIncidents(store, page.services, first, now);
    await yieldToRequests();
    return { page, now, monitors: monitors.states, rollups, incidents };
  }

  async stop(): Promise<void> {
    this.feed.stop();
    this.kept = undefined;
    await this.worker.stop();
  }
}
