import { oneLine } from './text.js';

/**
 * One readable line for an error from the network stack, wherever Medic meets one: checks, runbook
 * steps, actions, notification channels. Node's happy-eyeballs connect reports an AggregateError with
 * an empty message (one error per address tried), and undici and nodemailer wrap socket errors in
 * `cause`; the person reading an incident or a failed delivery wants "connect ECONNREFUSED
 * 127.0.0.1:1", not "".
 */
export function describeError(err: unknown): string {
  return oneLine(describe(err));
}

function describe(err: unknown): string {
  if (err instanceof AggregateError) {
    const parts = [...new Set(err.errors.map((e) => describe(e)))];
    return parts.length > 0 ? parts.join('; ') : (codeOf(err) ?? 'connection failed');
  }
  if (err instanceof Error) {
    const cause = (err as { cause?: unknown }).cause;
    const message = err.message || codeOf(err) || err.name;
    // "fetch failed"-style wrappers keep the real reason in `cause`.
    if (cause instanceof Error && cause.message && !message.includes(cause.message)) return `${message}: ${describe(cause)}`;
    return message;
  }
  return String(err);
}

function codeOf(err: Error): string | undefined {
  const code = (err as { code?: unknown }).code;
  return typeof code === 'string' ? code : undefined;
}
