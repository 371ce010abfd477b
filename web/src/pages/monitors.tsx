import { Card, Empty, Failure, Status } from '../components/bits';
import { ago, ms, percent } from '../components/format';
import { useData } from '../session';
import type { MonitorSummary } from '../types';

/** Every monitor: its state, uptime over 24 h / 7 d / 30 d, latency, and its latest run. Down first. */

const ORDER: Record<string, number> = { down: 0, degraded: 1, pending: 2, up: 3, paused: 4 };

/** Uptime below these is worth a colour: an SLO of 99.9 % is the usual line. */
export function uptimeTone(u: number | null): string {
  if (u === null) return '';
  return u >= 0.999 ? 'good' : u >= 0.99 ? 'warn' : 'bad';
}

export function MonitorsPage() {
  const { data, error } = useData<{ monitors: MonitorSummary[] }>('/api/monitors', { every: 30_000 });
  const monitors = [...(data?.monitors ?? [])].sort((a, b) => (ORDER[a.status] ?? 9) - (ORDER[b.status] ?? 9) || a.name.localeCompare(b.name));
  return (
    <Card title="Monitors">
      <Failure error={error} />
      {!data && !error && <div className="loading">Loading…</div>}
      {data && monitors.length === 0 && <Empty>No monitors yet: add them under monitors: in medic.yaml.</Empty>}
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
    </Card>
  );
}
