import { z } from 'zod';
import { NOTIFY_EVENTS, type MedicConfig, type NotifyEvent } from '../config/index.js';
import { describeEvent, findSimilar, readEventBody, type IncidentEvent, type IncidentReactor } from '../incidents/index.js';
import { fromJson, type Db, type JobQueue } from '../store/index.js';
import { lastTimeLine } from './last-time.js';
import { routeNotification } from './routing.js';

/**
 * Turns timeline events into notification jobs: one job per event and channel, enqueued in the same
 * transaction as the event, with an idempotency key so the same delivery is never enqueued twice, and
 * a sequence key per incident and channel so a channel hears an incident's events in their order.
 */

export const NOTIFY_JOB = 'notify.deliver';

export const notifyJobPayload = z.object({
  incidentId: z.number().int(),
  eventId: z.number().int(),
  event: z.enum(NOTIFY_EVENTS),
  channel: z.string(),
  actor: z.string(),
  details: z.array(z.string()).optional(),
  /** The incident's first notification: what happened last time (see last-time.ts). */
  lastTime: z.string().optional(),
});
export type NotifyJobPayload = z.infer<typeof notifyJobPayload>;

/** Which timeline events people hear about, and as what. */
function notifyEventOf(e: IncidentEvent): NotifyEvent | undefined {
  switch (e.type) {
    case 'opened':
    case 'acknowledged':
    case 'escalated':
    case 'remediation_finished':
    case 'resolved':
    case 'verified':
      return e.type;
    default:
      return undefined;
  }
}

/** The event in words (incidents/describe.ts), when it says more than the message's headline does. */
function detailsOf(e: IncidentEvent): string[] | undefined {
  const more = e.type === 'remediation_finished' || (e.type === 'escalated' && e.payload.reason) || (e.type === 'resolved' && e.payload.note);
  return more ? [describeEvent(e)] : undefined;
}

export function notificationReactor(config: Pick<MedicConfig, 'notifications' | 'routes' | 'delivery'>, queue: JobQueue, now: () => number): IncidentReactor {
  return {
    name: 'notify',
    async onEvents(db: Db, incident, events) {
      if (config.notifications.length === 0) return;
      let openedNotify: string[] | undefined;
      for (const e of events) {
        const event = notifyEventOf(e);
        if (!event) continue;
        // The channels named where the incident came from (a monitor's notify:) hear about all of it.
        openedNotify ??= await originNotify(db, incident.id, events);
        const own = 'notify' in e.payload ? e.payload.notify : undefined;
        const channels = routeNotification({ event, incident, notify: [openedNotify, own] }, config);
        // Read here rather than at delivery, once for all channels: the job carries it, every retry says
        // the same, and the first notification is not held back behind the later ones by the lookup.
        const lastTime = event === 'opened' && channels.length > 0 ? lastTimeLine(await findSimilar(db, incident)) : undefined;
        const details = detailsOf(e);
        for (const channel of channels) {
          const payload: NotifyJobPayload = { incidentId: incident.id, eventId: e.id, event, channel, actor: e.actor, ...(details ? { details } : {}), ...(lastTime ? { lastTime } : {}) };
          await queue.enqueue(db, { kind: NOTIFY_JOB, incidentId: incident.id, payload, idempotencyKey: `notify:${e.id}:${channel}`, sequenceKey: `notify:${incident.id}:${channel}`, maxAttempts: config.delivery.max_attempts }, now());
        }
      }
    },
  };
}

async function originNotify(db: Db, incidentId: number, fresh: IncidentEvent[]): Promise<string[]> {
  const inBatch = fresh.find((e) => e.type === 'opened');
  const row = inBatch ? undefined : await db.selectFrom('incident_events').select('payload').where('incident_id', '=', incidentId).where('type', '=', 'opened').executeTakeFirst();
  const opened = inBatch ?? (row ? readEventBody('opened', fromJson(row.payload, {})) : undefined);
  return opened?.type === 'opened' ? (opened.payload.notify ?? []) : [];
}
