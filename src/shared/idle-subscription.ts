/** A feed of what changed (the server's change stream): `subscribe` returns the way to stop listening. */
export interface ChangeSource {
  subscribe(listener: (kind: string) => void): () => void;
}

/**
 * A subscription to a change feed held only while someone uses what it keeps fresh: `touch()` on each
 * request subscribes when not subscribed (calling `onSubscribe` first: changes made while nobody
 * listened were not seen, so what is kept may predate them), and after `idleMs` without a touch the
 * subscription lapses. Used by the cached answers of the command center and the status page.
 */
export class IdleSubscription {
  private unsubscribe: (() => void) | undefined;
  private idleTimer: NodeJS.Timeout | undefined;

  constructor(
    private readonly source: ChangeSource | undefined,
    private readonly idleMs: number,
    private readonly on: { subscribe(): void; change(kind: string): void },
  ) {}

  touch(): void {
    if (!this.source) return;
    if (!this.unsubscribe) {
      this.on.subscribe();
      this.unsubscribe = this.source.subscribe((kind) => this.on.change(kind));
    }
    // Re-armed rather than replaced: a touch per request (hundreds a second on a public page) then
    // allocates no timer.
    if (this.idleTimer) this.idleTimer.refresh();
    else this.idleTimer = setTimeout(() => this.stop(), this.idleMs).unref();
  }

  stop(): void {
    this.unsubscribe?.();
    this.unsubscribe = undefined;
    if (this.idleTimer) clearTimeout(this.idleTimer);
    this.idleTimer = undefined;
  }
}
