import { useState } from 'react';
import { api } from '../api';
import { useData, useSession } from '../session';
import { Card, Failure } from './bits';
import { ago, duration } from './format';

interface Attempt {
  id: number;
  rule: string;
  attempt: number;
  actionType: string;
  status: string;
  dryRun: boolean;
  requestedAt: number;
  durationMs: number | null;
  decidedBy: string | null;
  output: string | null;
  error: string | null;
  expiresAt: number | null;
}

/** Remediation attempts of an incident, with Approve / Reject for those that wait for a person. */
export function Remediations({ incidentId }: { incidentId: number }) {
  const { can } = useSession();
  const { data, reload } = useData<{ attempts: Attempt[] }>(`/api/incidents/${incidentId}/remediations`);
  const [error, setError] = useState<string>();
  if (!data || data.attempts.length === 0) return null;
  const decide = async (a: Attempt, decision: 'approve' | 'reject') => {
    try {
      await api(`/api/incidents/${incidentId}/remediations/${a.id}/${decision}`, { method: 'POST', body: {} });
      setError(undefined);
      reload();
    } catch (e) {
      setError((e as Error).message);
    }
  };
  return (
    <Card title="Remediation">
      <ul className="plain attempts">
        {data.attempts.map((a) => (
          <li key={a.id} className={`attempt attempt-${a.status}`}>
            <div>
              <strong>{a.rule}</strong> <small>#{a.attempt} · {a.actionType}{a.dryRun ? ' · dry run' : ''}</small>
            </div>
            <div className="meta">
              <span className={`status status-${a.status}`}>{a.status.replace(/_/g, ' ')}</span> {ago(a.requestedAt)}
              {a.durationMs !== null && ` · took ${duration(a.durationMs)}`}
              {a.decidedBy && ` · by ${a.decidedBy}`}
            </div>
            {a.error && <div className="failure">{a.error}</div>}
            {a.output && (
              <details>
                <summary>output</summary>
                <pre>{a.output}</pre>
              </details>
            )}
            {a.status === 'awaiting_approval' && can('responder') && (
              <div className="buttons">
                <button onClick={() => decide(a, 'approve')}>Approve</button>
                <button className="danger" onClick={() => decide(a, 'reject')}>Reject</button>
                {a.expiresAt && <small className="meta">expires {ago(a.expiresAt)}</small>}
              </div>
            )}
          </li>
        ))}
      </ul>
      <Failure error={error} />
    </Card>
  );
}
