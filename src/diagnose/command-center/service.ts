import type { MedicConfig } from '../../config/index.js';
import type { Clock } from '../../shared/clock.js';
import { IdleSubscription, type ChangeSource } from '../../shared/idle-subscription.js';
import type { Store } from '../../store/index.js';
import { commandCenter, type CommandCenterLimits } from './build.js';
import { PrometheusSampler } from './prometheus.js';
import type { CommandCenter } from './schema.js';
import { DEFAULT_WINDOW_MS } from './window.js';

/**
 * The command center for a server: answers are kept for a few seconds, so any number of open dashboards
 * cost one computation per change at most, and are replaced as soon as the change feed says incidents,
 * checks, flags or deployments changed: the new answer is computed right then, before the dashboards
 * that got the same signal ask for it (they wait a moment to coalesce bursts), so they neither get the
 * answer from before the change nor wait for the database. Concurrent requests share one computation.
 * The feed is listened to only while answers are asked for; after `idleMs` without a request, the
 * service lets it go and computes nothing more.
 */

export interface CommandCenterServiceOptions {
  store: Store;
  config: Pick<MedicConfig, 'services' | 'incidents' | 'prometheus'>;
  clock: Clock;
  changes?: ChangeSource;
  /** How long an answer is kept when nothing changes (the window slides meanwhile). */
  ttlMs?: number;
  idleMs?: number;
  prometheusRefreshMs?: number;
  limits?: Partial<CommandCenterLimits>;
  redact?: (text: string) => string;
}

interface Entry {
  answer: Promise<CommandCenter>;
  at: number;
  generation: number;
}

/** Windows are few in practice (the default, and what people pick); more are not kept. */
const MAX_ENTRIES = 8;

export class CommandCenterService {
  readonly sampler: PrometheusSampler;
  private readonly entries = new Map<number, Entry>();
  private generation = 0;
  private readonly feed: IdleSubscription;
  private readonly ttlMs: number;

  constructor(private readonly options: CommandCenterServiceOptions) {
    this.ttlMs = options.ttlMs ?? 5000;
    this.feed = new IdleSubscription(options.changes, options.idleMs ?? 60_000, { subscribe: () => this.invalidate(), change: () => this.refresh() });
    this.sampler = new PrometheusSampler({ config: options.config, clock: options.clock, refreshMs: options.prometheusRefreshMs, onSample: () => this.refresh() });
  }

  get(windowMs = DEFAULT_WINDOW_MS): Promise<CommandCenter> {
    this.feed.touch();
    const now = this.options.clock.now();
    const kept = this.entries.get(windowMs);
    if (kept && kept.generation === this.generation && now - kept.at < this.ttlMs) return kept.answer;
    return this.compute(windowMs, now);
  }

  /** Drops every kept answer. */
  invalidate(): void {
    this.generation++;
  }

  /** Something changed: the kept answers are stale; compute the windows people look at now. */
  private refresh(): void {
    this.invalidate();
    const now = this.options.clock.now();
    for (const windowMs of this.entries.keys()) this.compute(windowMs, now).catch(() => undefined);
  }

  private compute(windowMs: number, now: number): Promise<CommandCenter> {
    const { store, config, limits, redact } = this.options;
    const answer = commandCenter({ store, config, now, windowMs, prometheus: this.sampler.latest(windowMs), prometheusServices: this.sampler.services, limits, redact });
    const entry: Entry = { answer, at: now, generation: this.generation };
    if (this.entries.size >= MAX_ENTRIES && !this.entries.has(windowMs)) this.entries.clear();
    this.entries.set(windowMs, entry);
    // A failed computation is not kept: the next request tries again.
    answer.catch(() => {
      if (this.entries.get(windowMs) === entry) this.entries.delete(windowMs);
    });
    return answer;
  }

  stop(): void {
    this.feed.stop();
    this.sampler.stop();
    this.entries.clear();
  }
}
