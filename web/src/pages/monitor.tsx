import { useMemo, useState } from 'react';
import type { CheckResult, MonitorSummary, ResultList } from '../../../src/server/responses/monitors';
import { Card, Empty, Failure, Status } from '../components/bits';
import { Chart, type Series } from '../components/chart';
import { ago, clock, ms, percent } from '../components/format';
import { safeUrl } from '../components/safe-url';
import { useApi } from '../queries';
import { uptimeTone } from './monitors';

/**
 * One monitor: its state and uptime, the latency of its runs over the last 24 hours (failures marked),
 * and its last failures with the assertion that failed, what was expected and what came, and the
 * trace of the run.
 */

const DAY = 86_400_000;
const SERIES: Series[] = [
  { label: 'duration', color: '--accent' },
  { label: 'failed', color: '--bad', points: true },
];

export function MonitorPage({ id }: { id: number }) {
  // The 24 hours are fixed when the page opens; later runs arrive with each refetch.
  const [since] = useState(() => Date.now() - DAY);
  const { data: monitor, error } = useApi<MonitorSummary>(`/api/monitors/${id}`);
  const { data: results, error: resultsError } = useApi<ResultList>(`/api/monitors/${id}/results?since=${since}&limit=1000`);
  if (error) return <Failure error={error} />;
  if (!monitor) return <div className="loading">Loading…</div>;
  const failures = (results?.results ?? []).filter((r) => r.status === 'down').slice(0, 10);
  return (
    <div className="monitor">
      <header className="page-head">
        <h1>
          <Status value={monitor.enabled ? monitor.status : 'paused'} /> {monitor.name}
        </h1>
        <p className="meta">
          {monitor.type} · {monitor.service ?? 'no service'} · last run {ago(monitor.last_run_at)}
          {monitor.incident_id !== null && (
            <>
              {' '}
              · <a href={`#/incidents/${monitor.incident_id}`}>incident #{monitor.incident_id}</a>
            </>
          )}
        </p>
      </header>
      <div className="tiles">
        {(['24h', '7d', '30d'] as const).map((w) => (
          <section key={w} className="card tile" aria-label={`uptime ${w}`}>
            <h2>Uptime {w}</h2>
            <p className={`tile-value uptime-${uptimeTone(monitor.uptime[w])}`}>
              <strong>{percent(monitor.uptime[w], 2)}</strong>
            </p>
          </section>
        ))}
        <section className="card tile" aria-label="latency">
          <h2>Latency 24h</h2>
          <p className="tile-value">
            <strong>{ms(monitor.latency.p95)}</strong> <small className="meta">p95 · p50 {ms(monitor.latency.p50)}</small>
          </p>
        </section>
      </div>
      <Card title="Latency, last 24 hours">
        <Failure error={resultsError} />
        {results && results.results.length === 0 && <Empty>No runs in the last 24 hours.</Empty>}
        {results && results.results.length > 0 && <LatencyChart results={results.results} />}
      </Card>
      <Card title="Last failures">
        {results && failures.length === 0 && <Empty>No failed run in the last 24 hours.</Empty>}
        <ul className="plain failures">
          {failures.map((r) => (
            <Failed key={`${r.started_at}-${r.location}`} result={r} />
          ))}
        </ul>
      </Card>
    </div>
  );
}

function LatencyChart({ results }: { results: CheckResult[] }) {
  const { x, values } = useMemo(() => {
    const oldestFirst = [...results].reverse();
    return {
      x: oldestFirst.map((r) => r.started_at / 1000),
      values: [oldestFirst.map((r) => r.duration_ms), oldestFirst.map((r) => (r.status === 'down' ? r.duration_ms : null))],
    };
  }, [results]);
  return <Chart x={x} series={SERIES} values={values} format={ms} />;
}

const show = (v: unknown) => (v === undefined ? '—' : typeof v === 'string' ? v : JSON.stringify(v));

function Failed({ result: r }: { result: CheckResult }) {
  const failed = r.details.filter((a) => !a.pass);
  const trace = safeUrl(r.trace_url);
  return (
    <li className="failure-item">
      <div>
        <strong>{clock(r.started_at)}</strong> <small className="meta">{ms(r.duration_ms)} · {r.location}</small>
        {trace ? (
          <>
            {' '}
            · <a href={trace} target="_blank" rel="noreferrer">trace {r.trace_id}</a>
          </>
        ) : (
          r.trace_id && <small className="meta"> · trace {r.trace_id}</small>
        )}
      </div>
      {r.error && <div className="failure">{r.error}</div>}
      {failed.length > 0 && (
        <table className="list assertions">
          <thead>
            <tr>
              <th>Assertion</th>
              <th>Expected</th>
              <th>Actual</th>
            </tr>
          </thead>
          <tbody>
            {failed.map((a, i) => (
              <tr key={i}>
                <td>
                  {a.step !== undefined && <small className="meta">{String(a.step)} › </small>}
                  {a.name}
                </td>
                <td>
                  <code>{show(a.expected)}</code>
                </td>
                <td>
                  <code>{show(a.actual)}</code>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </li>
  );
}
