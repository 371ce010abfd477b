import type { Db } from '../../store/index.js';

/**
 * How a process learns that another one changed a flag: it polls the newest `flag_changes` id.
 *
 * Why a poll rather than PostgreSQL's LISTEN/NOTIFY: the same code serves both engines, and on SQLite
 * too a second process writes flags (`medic flags disable` from the CLI, next to a running server); a
 * poll needs no dedicated connection to keep alive and cannot miss a notification while reconnecting
 * (LISTEN would need this poll as a fallback anyway); and it costs one primary-key lookup per interval
 * per process. Changes are serialized and their ids grow in commit order (see change.ts), so an id
 * larger than the last one seen means "reload", and nothing else is needed. With the default 500 ms
 * interval every process serves a change well within a second.
 */

/** The newest change id, 0 when there is none. */
export async function latestFlagChange(db: Db): Promise<number> {
  const row = await db
    .selectFrom('flag_changes')
    .select((eb) => eb.fn.max('id').as('id'))
    .executeTakeFirst();
  return row?.id === null || row?.id === undefined ? 0 : Number(row.id);
}

export interface FlagWatcherOptions {
  db: Db;
  intervalMs: number;
  /** The newest change id this process has loaded. */
  seen(): number;
  /** Reloads the flags (and moves `seen` forward). */
  reload(): Promise<void>;
  /** Told once when polling starts failing (the database is away), and once when it works again. */
  onError?(err: unknown): void;
  onRecovered?(): void;
}

export class FlagWatcher {
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | undefined;
  private failing = false;
  private stopped = true;

  constructor(private readonly options: FlagWatcherOptions) {}

  start(): void {
    if (!this.stopped) return;
    this.stopped = false;
    this.schedule();
  }

  /** Stops polling and waits for a poll in flight. */
  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    this.timer = undefined;
    await this.running;
  }

  /** One poll: reload when another process recorded a change. */
  async poll(): Promise<void> {
    const o = this.options;
    try {
      if ((await latestFlagChange(o.db)) !== o.seen()) await o.reload();
      if (this.failing) o.onRecovered?.();
      this.failing = false;
    } catch (err) {
      // Evaluation goes on from memory while the database is away; say so once, not every tick.
      if (!this.failing) o.onError?.(err);
      this.failing = true;
    }
  }

  private schedule(): void {
    if (this.stopped) return;
    // A chain of timeouts rather than an interval: a slow poll never overlaps the next one.
    this.timer = setTimeout(() => {
      this.running = this.poll().finally(() => {
        this.running = undefined;
        this.schedule();
      });
    }, this.options.intervalMs);
    this.timer.unref();
  }
}
