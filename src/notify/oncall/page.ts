import type { Redactor } from '../../config/index.js';
import { getIncident, getTimeline, ofType } from '../../incidents/index.js';
import { jobHandler, type JobHandler } from '../../store/index.js';
import { deliverRecorded } from '../deliver.js';
import { deliveryKey } from '../message.js';
import { ackLinkKey, ackLinkUrl, signAckLink } from './ack-link.js';
import { contactChannel } from './contacts.js';
import type { OncallContext } from './escalate.js';
import { stopped } from './escalate.js';
import { pageMessage } from './page-message.js';
import { PAGE_JOB, pageJobPayload } from './reactor.js';

/**
 * The `oncall.page` job: delivers one `paged` event to its person's contact or its channel, through the
 * channel code every notification uses (deliverRecorded: attempts, retries, the outcome on the
 * timeline). A page still queued when someone acknowledged (or the incident closed) is not sent.
 */
export function pageHandler(ctx: OncallContext & { redactor: Redactor }): JobHandler {
  return jobHandler(PAGE_JOB, pageJobPayload, async (job, { signal }) => {
    const p = job.payload;
    const { store, clock } = ctx.incidents;
    const incident = await getIncident(store.db, p.incidentId);
    const timeline = incident ? await getTimeline(store.db, incident.id) : [];
    const paged = timeline.filter(ofType('paged')).find((e) => e.id === p.eventId);
    if (!incident || !paged) return;
    if (stopped(incident)) {
      ctx.logger.info({ incidentId: incident.id, eventId: paged.id }, 'page not sent: the incident was acknowledged, resolved or closed meanwhile');
      return;
    }
    const { person, contact } = paged.payload;
    const channelName = person !== undefined && contact !== 'channel' ? `${person} (${contact})` : String(paged.payload.channel);
    const channel = person !== undefined && contact !== 'channel' ? contactChannel(ctx.config, person, contact) : ctx.config.notifications.find((c) => c.name === paged.payload.channel);
    if (!channel) {
      ctx.logger.warn({ incidentId: incident.id, channel: channelName }, 'page dropped: the person, contact or channel is no longer configured');
      return;
    }
    const baseUrl = ctx.config.server.public_url;
    const expiresAt = paged.at + ctx.config.oncall.ack_link_ttl;
    // The same link on every retry: it is derived from the event, not from when the attempt runs.
    const ackUrl = baseUrl ? ackLinkUrl(baseUrl, signAckLink(await ackLinkKey(store.db, clock.now()), { incidentId: incident.id, eventId: paged.id, expiresAt })) : undefined;
    const message = pageMessage({
      incident,
      timeline,
      paged,
      idempotencyKey: deliveryKey({ incidentId: incident.id, eventId: paged.id, channel: channelName }),
      ...(baseUrl ? { baseUrl } : {}),
      ...(ackUrl ? { ackUrl, ackExpiresAt: expiresAt } : {}),
    });
    await deliverRecorded(ctx, job, signal, {
      incidentId: incident.id,
      channelName,
      channel,
      event: 'paged',
      message,
      extra: { page: paged.id, level: paged.payload.level, ...(person ? { person } : {}) },
    });
  });
}
