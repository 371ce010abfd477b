import type { Attempt, AttemptList } from '../../../src/server/responses/remediations';
import { api } from '../api';
import { useApi, useChange } from '../queries';
import { useSession } from '../session';
import { Card, Failure } from './bits';
import { ago, duration } from './format';

/** Remediation attempts of an incident, with Approve / Reject for those that wait for a person. */
export function Remediations({ incidentId }: { incidentId: number }) {
  const { can } = useSession();
  const { data } = useApi<AttemptList>(`/api/incidents/${incidentId}/remediations`);
  const decision = useChange('incidents', ({ a, decision }: { a: Attempt; decision: 'approve' | 'reject' }) => api(`/api/incidents/${incidentId}/remediations/${a.id}/${decision}`, { method: 'POST', body: {} }));
  if (!data || data.attempts.length === 0) return null;
  const decide = (a: Attempt, d: 'approve' | 'reject') => decision.mutate({ a, decision: d });
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
      <Failure error={decision.error?.message} />
    </Card>
  );
}
