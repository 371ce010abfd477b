import { useState } from 'react';
import type { CommandCenter } from '../../../src/diagnose/command-center/schema';
import { api } from '../api';
import { Card, Empty, Failure, Severity, Status } from '../components/bits';
import { ago, clock, duration } from '../components/format';
import { MetricTile, ServiceBars } from '../components/tiles';
import { useApi, useChange } from '../queries';
import { useSession } from '../session';

/**
 * The home page: how production is doing (three figures against the window before, the worst
 * services), what is on fire (incidents with the deployment just before each, alerts, approvals,
 * monitors down) and what changed (deployments, flags). Refetched whenever the server reports a change,
 * and every 15 s for what moves by itself (ages, the sliding window, Prometheus samples).
 */

const WINDOWS = ['5m', '15m', '1h'] as const;

export function CommandCenterPage() {
  const [span, setSpan] = useState<(typeof WINDOWS)[number]>('5m');
  const { data, error } = useApi<CommandCenter>(`/api/command-center?window=${span}`, { every: 15_000 });
  return (
    <div className="command-center">
      <header className="page-head">
        <h1>Command center</h1>
        <div className="segmented" role="group" aria-label="window">
          {WINDOWS.map((w) => (
            <button key={w} aria-pressed={span === w} onClick={() => setSpan(w)} title={`the last ${w} against the ${w} before`}>
              {w}
            </button>
          ))}
        </div>
        {data && <small className="meta">updated {clock(data.generatedAt)}</small>}
      </header>
      <Failure error={error} />
      {!data && !error && <div className="loading">Loading…</div>}
      {data && <Board data={data} />}
    </div>
  );
}

function Board({ data }: { data: CommandCenter }) {
  const { tiles } = data;
  return (
    <>
      <div className="tiles">
        <MetricTile label="Error rate" tile={tiles.errorRate} kind="rate" />
        <MetricTile label="P95 latency" tile={tiles.latencyP95Ms} kind="ms" />
        <MetricTile label="Throughput" tile={tiles.throughputPerMinute} kind="count" unit={tiles.throughputPerMinute.source === 'prometheus' ? 'req/min' : 'runs/min'} />
      </div>
      {data.prometheus.errors.length > 0 && (
        <p className="failure" role="status">
          Prometheus: {data.prometheus.errors[0]}
          {data.prometheus.errors.length > 1 && ` (and ${data.prometheus.errors.length - 1} more)`}
        </p>
      )}
      <div className="board">
        <div className="board-col">
          <Incidents data={data} />
          <Approvals data={data} />
          <Card title="Error rate by service">{data.services.items.length ? <ServiceBars services={data.services.items} total={data.services.total} /> : <Empty>No check runs or metrics in the window.</Empty>}</Card>
        </div>
        <div className="board-col">
          <Alerts data={data} />
          <Monitors data={data} />
          <Changes data={data} />
        </div>
      </div>
    </>
  );
}

const count = (n: number) => <small className="count-badge">{n}</small>;

function Incidents({ data }: { data: CommandCenter }) {
  const { items, total } = data.incidents;
  return (
    <Card label="Active incidents" title={<>Active incidents {count(total)}</>} actions={<a href="#/incidents">all incidents</a>}>
      {items.length === 0 ? (
        <Empty>No active incident.</Empty>
      ) : (
        <ul className="plain rows">
          {items.map((i) => (
            <li key={i.id}>
              <a href={`#/incidents/${i.id}`} className="row-link">
                <Severity value={i.severity} /> <strong>#{i.id}</strong> {i.title}
              </a>
              <div className="meta">
                <Status value={i.status} /> {i.service ?? 'no service'} · started {ago(i.startedAt ?? i.detectedAt)}
                {i.deploymentBefore && (
                  <span className="suspect" title="the deployment that came just before it">
                    {' '}
                    · after {i.deploymentBefore.service} <strong>{i.deploymentBefore.version}</strong> ({i.deploymentBefore.minutesBefore} min before)
                  </span>
                )}
              </div>
            </li>
          ))}
          {total > items.length && <li className="more">… and {total - items.length} more</li>}
        </ul>
      )}
    </Card>
  );
}

function Approvals({ data }: { data: CommandCenter }) {
  const { can } = useSession();
  const decision = useChange('incidents', ({ incidentId, attemptId, decision }: { incidentId: number; attemptId: number; decision: 'approve' | 'reject' }) =>
    api(`/api/incidents/${incidentId}/remediations/${attemptId}/${decision}`, { method: 'POST', body: {} }),
  );
  const busy = decision.isPending ? decision.variables.attemptId : undefined;
  const { items, total } = data.approvals;
  if (total === 0) return null;
  const decide = (incidentId: number, attemptId: number, d: 'approve' | 'reject') => decision.mutate({ incidentId, attemptId, decision: d });
  return (
    <Card label="Waiting for approval" title={<>Waiting for approval {count(total)}</>} className="attention">
      <ul className="plain rows">
        {items.map((a) => (
          <li key={a.attemptId}>
            <div>
              <strong>{a.rule}</strong> <small>{a.actionType.replace(/_/g, ' ')}</small> for <a href={`#/incidents/${a.incidentId}`}>#{a.incidentId}</a>
            </div>
            <div className="meta">
              asked {ago(a.requestedAt)}
              {a.expiresAt !== null && ` · expires ${ago(a.expiresAt)}`}
            </div>
            {can('responder') && (
              <div className="buttons">
                <button disabled={busy === a.attemptId} onClick={() => decide(a.incidentId, a.attemptId, 'approve')}>Approve</button>
                <button disabled={busy === a.attemptId} className="danger" onClick={() => decide(a.incidentId, a.attemptId, 'reject')}>Reject</button>
              </div>
            )}
          </li>
        ))}
      </ul>
      <Failure error={decision.error?.message} />
    </Card>
  );
}

function Alerts({ data }: { data: CommandCenter }) {
  const { items, total } = data.alerts;
  return (
    <Card label="Firing alerts" title={<>Firing alerts {count(total)}</>}>
      {items.length === 0 ? (
        <Empty>Nothing is firing.</Empty>
      ) : (
        <ul className="plain rows">
          {items.map((a) => (
            <li key={a.fingerprint}>
              <Severity value={a.severity} /> {a.name} <small className="meta">{a.service ?? ''} · {duration(Date.now() - a.startsAt)}</small>
              {a.incidentId !== null && (
                <>
                  {' '}
                  <a href={`#/incidents/${a.incidentId}`}>#{a.incidentId}</a>
                </>
              )}
            </li>
          ))}
          {total > items.length && <li className="more">… and {total - items.length} more</li>}
        </ul>
      )}
    </Card>
  );
}

function Monitors({ data }: { data: CommandCenter }) {
  const m = data.monitors;
  return (
    <Card title="Monitors" actions={<a href="#/monitors">all monitors</a>}>
      <p className="monitor-counts">
        <span className="status status-up">{m.counts.up} up</span> <span className="status status-degraded">{m.counts.degraded} degraded</span>{' '}
        <span className="status status-down">{m.counts.down} down</span>
        {m.counts.pending + m.counts.paused > 0 && <span className="status">{m.counts.pending + m.counts.paused} pending or paused</span>}
      </p>
      {m.unhealthy.items.length > 0 && (
        <ul className="plain rows">
          {m.unhealthy.items.map((x) => (
            <li key={x.id}>
              <Status value={x.status} /> <a href={`#/monitors/${x.id}`}>{x.name}</a> <small className="meta">{x.service ?? ''} · ran {ago(x.lastRunAt)}</small>
              {x.error && <div className="failure small">{x.error}</div>}
            </li>
          ))}
          {m.unhealthy.total > m.unhealthy.items.length && <li className="more">… and {m.unhealthy.total - m.unhealthy.items.length} more</li>}
        </ul>
      )}
    </Card>
  );
}

function Changes({ data }: { data: CommandCenter }) {
  return (
    <Card title="Recent changes" actions={<a href="#/flags">flags</a>}>
      {data.deployments.length === 0 && data.flagChanges.length === 0 && <Empty>No deployment or flag change recorded.</Empty>}
      {data.deployments.length > 0 && (
        <>
          <h3>Deployments</h3>
          <ul className="plain rows">
            {data.deployments.map((d) => (
              <li key={d.id}>
                <strong>{d.service}</strong> {d.version}
                {d.rollback && <small> (rollback)</small>} <small className="meta">{clock(d.deployedAt)} · {d.actor}</small>
                {d.justBefore.length > 0 && (
                  <span className="suspect">
                    {' '}
                    just before{' '}
                    {d.justBefore.map((id) => (
                      <a key={id} href={`#/incidents/${id}`}>
                        #{id}
                      </a>
                    ))}
                  </span>
                )}
              </li>
            ))}
          </ul>
        </>
      )}
      {data.flagChanges.length > 0 && (
        <>
          <h3>Flags</h3>
          <ul className="plain rows">
            {data.flagChanges.map((f) => (
              <li key={f.id}>
                <strong>{f.key}</strong> <span className={f.enabled === false ? 'off' : 'on'}>{f.enabled === false ? 'off' : f.enabled ? 'on' : 'removed'}</span>{' '}
                <small className="meta">
                  {clock(f.at)} · {f.actor}
                  {f.reason && ` — ${f.reason}`}
                </small>
              </li>
            ))}
          </ul>
        </>
      )}
    </Card>
  );
}
