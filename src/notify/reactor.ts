import type { MedicConfig, NotifyEvent } from '../config/index.js';
import { findSimilar, type IncidentEvent, type IncidentReactor } from '../incidents/index.js';
import type { JobQueue} from '../store/index.js';
import { type Db } from '../store/index.js';
import { lastTimeLine } from './last-time.js';
import { routeNotification } from './routing.js';

/**
 * Turns timeline events into notification jobs: one job per event and channel, enqueued in the same
 * transaction as the event, with an idempotency key so the same delivery is never enqueued twice.
 */

export const NOTIFY_JOB = 'notify.deliver';

export interface NotifyJobPayload {
  incidentId: number;
  eventId: number;
  event: NotifyEvent;
  channel: string;
  actor: string;
  details?: string[];
  /** The incident's first notification: what happened last time (see last-time.ts). */
  lastTime?: string;
}

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

function detailsOf(e: IncidentEvent): string[] | undefined {
  const p = e.payload;
  if (e.type === 'remediation_finished') {
    return [`${String(p.rule ?? 'remediation')}: ${p.ok ? 'succeeded' : 'failed'}${p.dry_run ? ' (dry run)' : ''}${p.error ? ` — ${String(p.error)}` : ''}`];
  }
  if (e.type === 'escalated' && p.reason) return [String(p.reason)];
  if (e.type === 'resolved' && p.note) return [String(p.note)];
  return undefined;
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
        const own = Array.isArray(e.payload.notify) ? (e.payload.notify as string[]) : undefined;
        const channels = routeNotification({ event, incident, notify: [openedNotify, own] }, config);
        // Read here rather than at delivery, once for all channels: the job carries it, every retry says
        // the same, and the first notification is not held back behind the later ones by the lookup.
        const lastTime = event === 'opened' && channels.length > 0 ? lastTimeLine(await findSimilar(db, incident)) : undefined;
        for (const channel of channels) {
          const payload: NotifyJobPayload = { incidentId: incident.id, eventId: e.id, event, channel, actor: e.actor, ...(detailsOf(e) ? { details: detailsOf(e) } : {}), ...(lastTime ? { lastTime } : {}) };
          await queue.enqueue(db, { kind: NOTIFY_JOB, incidentId: incident.id, payload, idempotencyKey: `notify:${e.id}:${channel}`, maxAttempts: config.delivery.max_attempts }, now());
        }
      }
    },
  };
}

async function originNotify(db: Db, incidentId: number, fresh: IncidentEvent[]): Promise<string[]> {
  const opened = fresh.find((e) => e.type === 'opened');
  const payload = opened
    ? opened.payload
    : JSON.parse((await db.selectFrom('incident_events').select('payload').where('incident_id', '=', incidentId).where('type', '=', 'opened').executeTakeFirst())?.payload ?? '{}');
  return Array.isArray(payload.notify) ? (payload.notify as string[]) : [];
}
