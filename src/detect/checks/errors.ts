import { CheckAbortedError, CheckTimeoutError } from './deadline.js';

/**
 * One readable line for an error from the network stack. Node's happy-eyeballs connect reports an
 * AggregateError with an empty message, and undici wraps socket errors; the person reading an incident
 * wants "connect ECONNREFUSED 127.0.0.1:1", not "".
 */
export function describeError(err: unknown): string {
  if (err instanceof AggregateError) {
    const parts = [...new Set(err.errors.map((e) => describeError(e)))];
    return parts.length > 0 ? parts.join('; ') : describeCode(err) ?? 'connection failed';
  }
  if (err instanceof Error) {
    const cause = (err as { cause?: unknown }).cause;
    const message = err.message || describeCode(err) || err.name;
    // undici's "fetch failed"-style wrappers keep the real reason in `cause`.
    if (cause instanceof Error && cause.message && !message.includes(cause.message)) return `${message}: ${describeError(cause)}`;
    return message;
  }
  return String(err);
}

function describeCode(err: Error): string | undefined {
  const code = (err as { code?: unknown }).code;
  return typeof code === 'string' ? code : undefined;
}

/** True for the reasons a deadline aborts with (the check ran out of time or was stopped). */
export function isDeadlineError(err: unknown): err is CheckTimeoutError | CheckAbortedError {
  return err instanceof CheckTimeoutError || err instanceof CheckAbortedError;
}
