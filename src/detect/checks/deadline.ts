/**
 * One attempt's time budget: a signal that aborts when the monitor's timeout passes or the caller's
 * signal aborts, whichever comes first, and that says which of the two it was. Every check type waits on
 * this signal rather than on library timeouts, so a hung target ends the check at the timeout even when
 * the library underneath is still waiting.
 */

export class CheckTimeoutError extends Error {
  override readonly name = 'CheckTimeoutError';
  constructor(readonly timeoutMs: number) {
    super(`timeout after ${timeoutMs} ms`);
  }
}

export class CheckAbortedError extends Error {
  override readonly name = 'CheckAbortedError';
  constructor() {
    super('check aborted');
  }
}

export interface Deadline {
  readonly signal: AbortSignal;
  /** The reason the signal aborted, as an Error (undefined while running). */
  readonly reason: Error | undefined;
  /** Stops the timer and unhooks from the parent signal; call when the attempt is done. */
  dispose(): void;
}

/**
 * The scheduler hands one signal (its shutdown signal) to every check it runs, hundreds at a time.
 * Instead of one 'abort' listener per check on that signal (which trips Node's listener-leak warning
 * and makes removal linear), each parent signal gets a single listener that fans out to a Set.
 */
const watchers = new WeakMap<AbortSignal, Set<() => void>>();

/** Calls fn when the signal aborts (at once if it already has); returns the function that unsubscribes. */
export function whenAborted(signal: AbortSignal, fn: () => void): () => void {
  if (signal.aborted) {
    fn();
    return () => {};
  }
  let set = watchers.get(signal);
  if (!set) {
    const callbacks = new Set<() => void>();
    set = callbacks;
    watchers.set(signal, callbacks);
    signal.addEventListener(
      'abort',
      () => {
        watchers.delete(signal);
        for (const f of callbacks) f();
      },
      { once: true },
    );
  }
  const callbacks = set;
  callbacks.add(fn);
  return () => callbacks.delete(fn);
}

export function startDeadline(parent: AbortSignal, timeoutMs: number): Deadline {
  const controller = new AbortController();
  const abort = (reason: Error) => {
    if (!controller.signal.aborted) controller.abort(reason);
  };
  const timer = setTimeout(() => abort(new CheckTimeoutError(timeoutMs)), timeoutMs);
  const unwatch = whenAborted(parent, () => abort(new CheckAbortedError()));
  return {
    signal: controller.signal,
    get reason() {
      return controller.signal.aborted ? (controller.signal.reason as Error) : undefined;
    },
    dispose() {
      clearTimeout(timer);
      unwatch();
    },
  };
}

/** A promise that rejects with the signal's reason when it aborts; for racing APIs that take no signal. */
export function abortPromise(signal: AbortSignal): { promise: Promise<never>; dispose(): void } {
  let onAbort: () => void = () => {};
  const promise = new Promise<never>((_, reject) => {
    onAbort = () => reject(signal.reason as Error);
    if (signal.aborted) onAbort();
    else signal.addEventListener('abort', onAbort, { once: true });
  });
  // The loser of a race must not become an unhandled rejection.
  promise.catch(() => {});
  return { promise, dispose: () => signal.removeEventListener('abort', onAbort) };
}
