import type { IncidentDetails } from '../../../src/server/responses/incidents';
import { Card } from './bits';
import { duration } from './format';

/**
 * "Last time this happened": earlier incidents like this one (the API's `similar`, same fingerprint
 * first, then same alert and service, most recent first), each with how long it took, the recorded
 * cause and what fixed it, beside the timeline. Nothing shows for an incident that has none.
 */
export function LastTime({ similar }: { similar: IncidentDetails['similar'] }) {
  if (similar.length === 0) return null;
  return (
    <Card title="Last time this happened">
      <ul className="plain last-time">
        {similar.map((s) => (
          <li key={s.id}>
            <a href={`#/incidents/${s.id}`}>#{s.id}</a> <small>{s.startedAt === null ? '' : new Date(s.startedAt).toISOString().slice(0, 10)}</small>
            {s.mttrMs !== null && <small> · MTTR {duration(s.mttrMs)}</small>}
            <div>Cause: {s.cause ?? <span className="meta">not recorded</span>}</div>
            <div>Fix: {s.fix ?? <span className="meta">not recorded</span>}</div>
            {s.postmortem && <small className="meta">postmortem: medic postmortem {s.id}</small>}
          </li>
        ))}
      </ul>
    </Card>
  );
}
