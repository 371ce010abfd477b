import type { ChannelConfig, MedicConfig, NotifyEvent, Redactor } from '../config/index.js';
import { appendEvents, getIncident, type IncidentContext } from '../incidents/index.js';
import { backoffDelay } from '../shared/backoff.js';
import type { Logger } from '../shared/logger.js';
import { jobHandler, MAX_JOB_BACKOFF_MS, RetryLater, type Job, type JobHandler } from '../store/index.js';
import { sendNotification } from './index.js';
import { buildNotificationMessage, deliveryKey, type NotificationMessage } from './message.js';
import { NOTIFY_JOB, notifyJobPayload } from './reactor.js';

/**
 * Delivers one notification job. Each attempt is recorded; a retryable failure is retried with
 * exponential backoff (no sooner than the receiver's Retry-After) up to `delivery.max_attempts`; success
 * or a final failure is said on the timeline. Every attempt carries the same idempotency key, so a
 * receiver that dedups on it sees one delivery even if a crash repeats the last attempt.
 */
export interface DeliveryContext {
  incidents: IncidentContext;
  config: Pick<MedicConfig, 'notifications' | 'delivery' | 'server'>;
  redactor: Redactor;
  logger: Logger;
}

export function notificationHandler(ctx: DeliveryContext): JobHandler {
  return jobHandler(NOTIFY_JOB, notifyJobPayload, async (job, { signal }) => {
    const p = job.payload;
    const channel = ctx.config.notifications.find((c) => c.name === p.channel);
    const incident = await getIncident(ctx.incidents.store.db, p.incidentId);
    if (!channel || !incident) {
      ctx.logger.warn({ channel: p.channel, incidentId: p.incidentId }, 'notification dropped: channel or incident no longer exists');
      return;
    }
    const idempotencyKey = deliveryKey({ incidentId: p.incidentId, eventId: p.eventId, channel: p.channel });
    const message = buildNotificationMessage({
      event: p.event,
      idempotencyKey,
      incident: {
        id: incident.id,
        title: incident.title,
        service: incident.service,
        severity: incident.severity,
        status: incident.status,
        labels: incident.labels,
        started_at: incident.startedAt,
        detected_at: incident.detectedAt,
        cause: incident.cause,
        ...incident.phases,
      },
      actor: p.actor,
      ...(p.details ? { details: p.details } : {}),
      ...(p.lastTime ? { lastTime: p.lastTime } : {}),
      ...(ctx.config.server.public_url ? { baseUrl: ctx.config.server.public_url } : {}),
    });
    await deliverRecorded(ctx, job, signal, { incidentId: p.incidentId, channelName: p.channel, channel, event: p.event, message });
  });
}

export interface RecordedDelivery {
  incidentId: number;
  /** How the attempt and the timeline name the receiver: a channel's name, or "alice (email)". */
  channelName: string;
  channel: ChannelConfig;
  event: NotifyEvent;
  message: NotificationMessage;
  /** More for the timeline's notification_sent / notification_failed (a page's person and level). */
  extra?: Record<string, unknown>;
}

/**
 * One attempt of a delivery job, the one path every notification and page takes: sends, records the
 * attempt, throws RetryLater while a retryable failure has attempts left, and writes the outcome on the
 * timeline.
 */
export async function deliverRecorded(ctx: DeliveryContext, job: Job, signal: AbortSignal, d: RecordedDelivery): Promise<void> {
  const { store, clock } = ctx.incidents;
  const result = await sendNotification(d.channel, d.message, { signal, redactor: ctx.redactor, timeoutMs: ctx.config.delivery.timeout });
  const reason = result.outcome === 'ok' ? null : ctx.redactor.redact(result.reason);
  await store.db
    .insertInto('notification_attempts')
    .values({ job_id: job.id, incident_id: d.incidentId, channel: d.channelName, event: d.event, attempt: job.attempts, at: clock.now(), outcome: result.outcome, status: result.status, reason, idempotency_key: d.message.idempotencyKey })
    .execute();

  const last = job.attempts >= job.maxAttempts;
  if (result.outcome === 'retryable' && !last) {
    throw new RetryLater(reason ?? 'retryable failure', Math.max(result.retryAfterMs ?? 0, backoffDelay(job.attempts, { baseMs: ctx.config.delivery.backoff, capMs: MAX_JOB_BACKOFF_MS })));
  }
  const ok = result.outcome === 'ok';
  if (ok && result.skipped) return;
  await store.transaction(async (trx) => {
    const current = await getIncident(trx, d.incidentId);
    if (!current) return;
    await appendEvents(trx, ctx.incidents, current, [
      {
        type: ok ? 'notification_sent' : 'notification_failed',
        actor: 'system',
        payload: { channel: d.channelName, event: d.event, attempts: job.attempts, status: result.status, ...(ok ? {} : { reason }), ...d.extra },
      },
    ]);
  });
}
