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

export function startDeadline(parent: AbortSignal, timeoutMs: number): Deadline {
  const controller = new AbortController();
  const abort = (reason: Error) => {
    if (!controller.signal.aborted) controller.abort(reason);
  };
  const onParentAbort = () => abort(new CheckAbortedError());
  const timer = setTimeout(() => abort(new CheckTimeoutError(timeoutMs)), timeoutMs);
  if (parent.aborted) onParentAbort();
  else parent.addEventListener('abort', onParentAbort, { once: true });
  return {
    signal: controller.signal,
    get reason() {
      return controller.signal.aborted ? (controller.signal.reason as Error) : undefined;
    },
    dispose() {
      clearTimeout(timer);
      parent.removeEventListener('abort', onParentAbort);
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
