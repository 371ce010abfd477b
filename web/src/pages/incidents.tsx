import { useState } from 'react';
import type { Incident, IncidentList } from '../../../src/server/responses/incidents';
import { Card, Empty, Failure, Severity, Status } from '../components/bits';
import { ago, duration } from '../components/format';
import { useApi } from '../queries';

const FILTERS = [
  ['active', 'Active'],
  ['', 'All'],
  ['closed', 'Closed'],
] as const;

export function IncidentsPage() {
  const [status, setStatus] = useState<string>('active');
  const [page, setPage] = useState(0);
  const size = 50;
  const { data, error } = useApi<IncidentList>(`/api/incidents?limit=${size}&offset=${page * size}${status ? `&status=${status}` : ''}`);
  return (
    <Card
      title="Incidents"
      actions={
        <div className="segmented" role="group" aria-label="filter">
          {FILTERS.map(([value, label]) => (
            <button key={label} aria-pressed={status === value} onClick={() => { setStatus(value); setPage(0); }}>
              {label}
            </button>
          ))}
        </div>
      }
    >
      <Failure error={error} />
      {data && data.incidents.length === 0 && <Empty>No incidents here. Quiet is good.</Empty>}
      {data && data.incidents.length > 0 && <IncidentTable incidents={data.incidents} />}
      {data && data.total > size && (
        <div className="pager">
          <button disabled={page === 0} onClick={() => setPage(page - 1)}>Newer</button>
          <span>
            {page * size + 1}–{Math.min(data.total, (page + 1) * size)} of {data.total}
          </span>
          <button disabled={(page + 1) * size >= data.total} onClick={() => setPage(page + 1)}>Older</button>
        </div>
      )}
    </Card>
  );
}

export function IncidentTable({ incidents }: { incidents: Incident[] }) {
  return (
    <table className="list">
      <thead>
        <tr>
          <th>#</th>
          <th>Severity</th>
          <th>Title</th>
          <th className="hide-narrow">Service</th>
          <th>Status</th>
          <th className="hide-narrow">Detected</th>
          <th className="hide-narrow">MTTR</th>
        </tr>
      </thead>
      <tbody>
        {incidents.map((i) => (
          <tr key={i.id} className="clickable" onClick={() => (window.location.hash = `#/incidents/${i.id}`)}>
            <td>
              <a href={`#/incidents/${i.id}`}>{i.id}</a>
            </td>
            <td>
              <Severity value={i.severity} />
            </td>
            <td>{i.title}</td>
            <td className="hide-narrow">{i.service ?? '—'}</td>
            <td>
              <Status value={i.status} />
            </td>
            <td className="hide-narrow">{ago(i.detectedAt)}</td>
            <td className="hide-narrow">{duration(i.phases.mttr_ms)}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
