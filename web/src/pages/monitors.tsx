import { useState } from 'react';
import type { MonitorList } from '../../../src/server/responses/monitors';
import { Card, Empty, Failure, Status } from '../components/bits';
import { ago, ms, percent } from '../components/format';
import { useApi } from '../queries';

/**
 * Every monitor: its state, uptime over 24 h / 7 d / 30 d, latency, and its latest run; down and
 * degraded first (the server's order), a page at a time, filtered by state or by name.
 */

const FILTERS = [
  ['', 'All'],
  ['down', 'Down'],
  ['degraded', 'Degraded'],
  ['up', 'Up'],
] as const;
const PAGE = 100;

/** Uptime below these is worth a colour: an SLO of 99.9 % is the usual line. */
export function uptimeTone(u: number | null): string {
  if (u === null) return '';
  return u >= 0.999 ? 'good' : u >= 0.99 ? 'warn' : 'bad';
}

export function MonitorsPage() {
  const [status, setStatus] = useState('');
  const [search, setSearch] = useState('');
  const [page, setPage] = useState(0);
  const query = new URLSearchParams({ limit: String(PAGE), offset: String(page * PAGE), ...(status ? { status } : {}), ...(search.trim() ? { search: search.trim() } : {}) });
  const { data, error } = useApi<MonitorList>(`/api/monitors?${query}`, { every: 30_000 });
  const monitors = data?.monitors ?? [];
  return (
    <Card
      title="Monitors"
      actions={
        <>
          <input className="search" type="search" aria-label="search monitors" placeholder="Search" value={search} onChange={(e) => { setSearch(e.target.value); setPage(0); }} />
          <div className="segmented" role="group" aria-label="filter">
            {FILTERS.map(([value, label]) => (
              <button key={label} aria-pressed={status === value} onClick={() => { setStatus(value); setPage(0); }}>
                {label}
              </button>
            ))}
          </div>
        </>
      }
    >
      <Failure error={error} />
      {!data && !error && <div className="loading">Loading…</div>}
      {data && monitors.length === 0 && <Empty>{status || search ? 'No monitor matches.' : 'No monitors yet: add them under monitors: in medic.yaml.'}</Empty>}
      {monitors.length > 0 && (
        <table className="list">
          <thead>
            <tr>
              <th>Status</th>
              <th>Monitor</th>
              <th className="hide-narrow">Service</th>
              <th className="num">24 h</th>
              <th className="num hide-narrow">7 d</th>
              <th className="num hide-narrow">30 d</th>
              <th className="num hide-narrow">p95</th>
              <th className="hide-narrow">Last run</th>
            </tr>
          </thead>
          <tbody>
            {monitors.map((m) => (
              <tr key={m.id} className="clickable" onClick={() => (window.location.hash = `#/monitors/${m.id}`)}>
                <td>
                  <Status value={m.enabled ? m.status : 'paused'} />
                </td>
                <td>
                  <a href={`#/monitors/${m.id}`}>{m.name}</a> <small className="meta">{m.type}</small>
                  {m.last_result?.error && m.last_result.status === 'down' && <div className="failure small">{m.last_result.error}</div>}
                </td>
                <td className="hide-narrow">{m.service ?? '—'}</td>
                <td className={`num uptime-${uptimeTone(m.uptime['24h'])}`}>{percent(m.uptime['24h'], 2)}</td>
                <td className={`num hide-narrow uptime-${uptimeTone(m.uptime['7d'])}`}>{percent(m.uptime['7d'], 2)}</td>
                <td className={`num hide-narrow uptime-${uptimeTone(m.uptime['30d'])}`}>{percent(m.uptime['30d'], 2)}</td>
                <td className="num hide-narrow">{ms(m.latency.p95)}</td>
                <td className="hide-narrow">{ago(m.last_run_at)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {data && data.total > PAGE && (
        <div className="pager">
          <button disabled={page === 0} onClick={() => setPage(page - 1)}>Previous</button>
          <span>
            {page * PAGE + 1}–{Math.min(data.total, (page + 1) * PAGE)} of {data.total}
          </span>
          <button disabled={(page + 1) * PAGE >= data.total} onClick={() => setPage(page + 1)}>Next</button>
        </div>
      )}
    </Card>
  );
}
