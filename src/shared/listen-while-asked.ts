/** Something that announces changes by kind (the runtime's change feed). */
export interface ChangeSource {
  subscribe(listener: (kind: string) => void): () => void;
}

/**
 * A subscription to a change source held only while answers are asked for: `touch()` on every request
 * subscribes if needed, and after `idleMs` without one it is let go, so a page nobody reads costs the
 * database nothing. `touch()` says when it subscribed anew: changes made while nobody listened were not
 * seen, so what is kept may predate them.
 */
export class ListenWhileAsked {
  private unsubscribe: (() => void) | undefined;
  private idleTimer: NodeJS.Timeout | undefined;

  constructor(
    private readonly source: ChangeSource | undefined,
    private readonly onChange: (kind: string) => void,
    private readonly idleMs: number,
  ) {}

  touch(): boolean {
    if (!this.source) return false;
    const fresh = !this.unsubscribe;
    if (fresh) this.unsubscribe = this.source.subscribe(this.onChange);
    if (this.idleTimer) clearTimeout(this.idleTimer);
    this.idleTimer = setTimeout(() => this.stop(), this.idleMs);
    this.idleTimer.unref();
    return fresh;
  }

  stop(): void {
    this.unsubscribe?.();
    this.unsubscribe = undefined;
    if (this.idleTimer) clearTimeout(this.idleTimer);
    this.idleTimer = undefined;
  }
}
