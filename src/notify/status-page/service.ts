import type { StatusPageConfig } from '../../config/index.js';
import type { Clock } from '../../shared/clock.js';
import { IdleSubscription, type ChangeSource } from '../../shared/idle-subscription.js';
import type { Store } from '../../store/index.js';
import { DailyRollups, readIncidents, readMonitors } from './read.js';
import type { StatusPage } from './schema.js';
import { Snapshot } from './snapshot.js';
import { computeStatusPage, historyDays } from './state.js';

/**
 * The status page for a server, cheap for the public: one computation serves every request for a few
 * seconds (`ttlMs`), concurrent requests share it, and each rendering (HTML, JSON, Atom, a badge) is
 * made once per computation. An incident change (a public update, a phase) drops what is kept at once
 * and computes anew, so a new update shows within the change feed's second. Check results arrive all
 * the time and are not a reason to recompute: the kept answer is at most `ttlMs` behind them.
 *
 * Past `ttlMs` the kept answer is still served (for up to `staleMs`) while the next one is computed in
 * the background: no public request waits for the database unless nobody asked for a while.
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
  private inflight: { promise: Promise<Snapshot>; generation: number } | undefined;
  private generation = 0;
  private readonly rollups: DailyRollups;
  private readonly feed: IdleSubscription;
  private readonly ttlMs: number;
  private readonly staleMs: number;

  constructor(private readonly options: StatusPageServiceOptions) {
    this.rollups = new DailyRollups(options.page.services);
    this.ttlMs = options.ttlMs ?? 5000;
    this.staleMs = options.staleMs ?? 60_000;
    this.feed = new IdleSubscription(options.changes, options.idleMs ?? 60_000, {
      // Changes made while nobody listened were not seen: what is kept may predate them.
      subscribe: () => this.invalidate(),
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
    if (kept && kept.generation === this.generation) {
      const age = this.options.clock.now() - kept.at;
      if (age < this.ttlMs) return Promise.resolve(kept.snapshot);
      if (age < this.staleMs) {
        this.compute().catch(() => undefined);
        return Promise.resolve(kept.snapshot);
      }
    }
    return this.compute();
  }

  /** Drops what is kept: the next request gets a new computation. */
  invalidate(): void {
    this.generation++;
  }

  private compute(): Promise<Snapshot> {
    if (this.inflight && this.inflight.generation === this.generation) return this.inflight.promise;
    const generation = this.generation;
    const at = this.options.clock.now();
    const promise = this.load(at).then(async (page) => {
      const snapshot = new Snapshot(page, this.options);
      await snapshot.warm(this.kept?.snapshot);
      if (!this.kept || generation >= this.kept.generation) this.kept = { snapshot, at, generation };
      return snapshot;
    });
    const entry = { promise, generation };
    this.inflight = entry;
    // A failed computation is not kept: the next request tries again.
    const done = () => {
      if (this.inflight === entry) this.inflight = undefined;
    };
    promise.then(done, done);
    return promise;
  }

  private async load(now: number): Promise<StatusPage> {
    const { store, page } = this.options;
    const { first } = historyDays(now, page.history);
    const [monitors, rollups, incidents] = await Promise.all([readMonitors(store, page.services), this.rollups.read(store, first, now), readIncidents(store, page.services, first, now)]);
    return computeStatusPage({ page, now, monitors, rollups, incidents });
  }

  stop(): void {
    this.feed.stop();
    this.kept = undefined;
  }
}
