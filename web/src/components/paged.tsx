import { Card } from './bits';
import { clock } from './format';
import type { TimelineEvent } from '../../../src/server/responses/incidents';

/** Who was paged for an incident and when, with whether each page was delivered. */
export function Paged({ timeline }: { timeline: TimelineEvent[] }) {
  const pages = timeline.filter((e) => e.type === 'paged');
  if (pages.length === 0) return null;
  const outcome = (id: number) => timeline.find((e) => (e.type === 'notification_sent' || e.type === 'notification_failed') && e.payload.page === id);
  const ack = timeline.find((e) => e.type === 'acknowledged');
  return (
    <Card title="Paged">
      <table className="list paged">
        <tbody>
          {pages.map((e) => {
            const done = outcome(e.id);
            const who = typeof e.payload.person === 'string' ? e.payload.person : String(e.payload.channel);
            return (
              <tr key={e.id}>
                <td>{clock(e.at)}</td>
                <td>
                  <strong>{who}</strong> <small className="meta">{String(e.payload.contact)} · level {String(e.payload.level)}{Number(e.payload.round) > 1 ? `, round ${String(e.payload.round)}` : ''}</small>
                </td>
                <td>{done ? (done.type === 'notification_sent' ? 'delivered' : 'failed') : 'sending…'}</td>
              </tr>
            );
          })}
        </tbody>
      </table>
      {ack && <p className="meta">Acknowledged by {ack.actor} at {clock(ack.at)}.</p>}
      {timeline.some((e) => e.type === 'escalation_exhausted') && <p className="failure">Nobody acknowledged: the escalation ran out.</p>}
    </Card>
  );
}
