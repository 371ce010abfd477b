import type { ChannelConfig, Redactor } from '../config/index.js';
import type { NotificationMessage } from './message.js';

/**
 * The plug-in point for notification channels (after Gatus's alerting providers): one file per type in
 * channels/, registered in index.ts. Config is validated by the zod schema before it gets here, so a
 * channel only renders and sends.
 */

export interface SendContext {
  /** Aborts the delivery (the worker is stopping, or its lease is lost). */
  signal: AbortSignal;
  /** Removes secrets from anything a result carries back. */
  redactor: Redactor;
  /** Give up on an answer after this long; the attempt is then retryable. */
  timeoutMs: number;
}

/**
 * The outcome of one attempt, shaped for the durable delivery: `ok` ends the job, `retryable` schedules the
 * next attempt (no sooner than `retryAfterMs` when the receiver said so), `permanent` gives up now because
 * another attempt would fail the same way (a 4xx, a rejected recipient).
 */
export type DeliveryResult =
  | {
      outcome: 'ok';
      /** HTTP status or SMTP reply code. */
      status: number | null;
      /** The receiver's id for it (PagerDuty's dedup_key, the email's Message-ID), for the timeline. */
      reference?: string;
      /** Nothing was sent: the channel has nothing to say about this event (PagerDuty on `degraded`). */
      skipped?: boolean;
    }
  | {
      outcome: 'retryable';
      /** HTTP status or SMTP reply code; null when no answer came (network error, timeout). */
      status: number | null;
      /** Redacted. */
      reason: string;
      /** From Retry-After: wait at least this long. */
      retryAfterMs?: number;
    }
  | { outcome: 'permanent'; status: number | null; reason: string };

export interface NotificationChannel<C extends ChannelConfig = ChannelConfig> {
  readonly type: C['type'];
  /** The config values that are secrets (URLs, keys, passwords), kept out of every result. */
  secrets(config: C): string[];
  send(config: C, message: NotificationMessage, ctx: SendContext): Promise<DeliveryResult>;
}

export const delivered = (status: number | null, extra: { reference?: string; skipped?: boolean } = {}): DeliveryResult => ({ outcome: 'ok', status, ...extra });
export const retryable = (status: number | null, reason: string, retryAfterMs?: number): DeliveryResult =>
  retryAfterMs === undefined ? { outcome: 'retryable', status, reason } : { outcome: 'retryable', status, reason, retryAfterMs };
export const permanent = (status: number | null, reason: string): DeliveryResult => ({ outcome: 'permanent', status, reason });
