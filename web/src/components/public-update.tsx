import { useState } from 'react';
import { api } from '../api';
import { Card, Failure } from './bits';
import { useApi, useChange } from '../queries';
import { useSession } from '../session';

/**
 * The incident page's public update form: what the public reads on the status page, in the
 * responder's words. Shown to responders when Medic serves a status page (the public JSON exists).
 */

const STATUSES = ['investigating', 'identified', 'monitoring', 'resolved'] as const;
type PublicIncident = { id: number; status: (typeof STATUSES)[number]; updates: unknown[] };
type PublicStatus = { active_incidents: PublicIncident[]; recent_incidents: PublicIncident[] };

export function PublicUpdate({ incidentId }: { incidentId: number }) {
  const { can } = useSession();
  const { data } = useApi<PublicStatus>('/api/public/status');
  const post = useChange('incidents', (body: { status: string; message: string }) => api(`/api/incidents/${incidentId}/updates`, { method: 'POST', body }));
  const [status, setStatus] = useState<string>();
  const [message, setMessage] = useState('');
  const [error, setError] = useState<string>();
  const [posted, setPosted] = useState(false);
  if (!can('responder') || !data) return null;
  const shown = [...data.active_incidents, ...data.recent_incidents].find((i) => i.id === incidentId);
  const chosen = status ?? shown?.status ?? 'investigating';
  return (
    <Card title="Status page">
      <p className="meta">{shown ? `Shown to the public as ${shown.status}.` : 'Not on the status page now.'}</p>
      <form
        className="inline-form"
        aria-label="Public update"
        onSubmit={(e) => {
          e.preventDefault();
          post.mutate(
            { status: chosen, message },
            {
              onSuccess: () => {
                setMessage('');
                setError(undefined);
                setPosted(true);
              },
              onError: (err: Error) => {
                setPosted(false);
                setError(err.message);
              },
            },
          );
        }}
      >
        <label>
          Public status
          <select value={chosen} onChange={(e) => setStatus(e.target.value)}>
            {STATUSES.map((s) => (
              <option key={s} value={s}>
                {s}
              </option>
            ))}
          </select>
        </label>
        <label>
          Message for the public
          <textarea value={message} onChange={(e) => setMessage(e.target.value)} required maxLength={5000} rows={3} />
        </label>
        <div className="buttons">
          <button type="submit">Post update</button>
        </div>
      </form>
      {posted && <p role="status">Posted to the status page.</p>}
      <Failure error={error} />
    </Card>
  );
}
