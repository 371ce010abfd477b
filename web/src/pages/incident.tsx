import { useState } from 'react';
import type { Affected, IncidentDetails } from '../../../src/server/responses/incidents';
import { api } from '../api';
import { Card, Failure, Severity, Status } from '../components/bits';
import { ago, clock } from '../components/format';
import { LastTime } from '../components/last-time';
import { PhaseBar } from '../components/phase-bar';
import { PublicUpdate } from '../components/public-update';
import { safeUrl } from '../components/safe-url';
import { Remediations } from '../components/remediations';
import { Paged } from '../components/paged';
import { flagEnabled, Timeline } from '../components/timeline';
import { useApi, useChange } from '../queries';
import { useSession } from '../session';

export function IncidentPage({ id }: { id: number }) {
  const { data, error } = useApi<IncidentDetails>(`/api/incidents/${id}`);
  if (error) return <Failure error={error} />;
  if (!data) return <div className="loading">Loading…</div>;
  const i = data.incident;
  return (
    <div className="incident">
      <header className="incident-head">
        <div>
          <h1>
            <Severity value={i.severity} /> #{i.id} {i.title}
          </h1>
          <p className="meta">
            <Status value={i.status} /> {i.service ?? 'no service'} · started {clock(i.startedAt)} · detected {ago(i.detectedAt)}
            {i.reopenCount > 0 && ` · reopened ${i.reopenCount}×`}
          </p>
          {i.cause && <p className="cause">Cause: {i.cause}</p>}
        </div>
        <Actions details={data} />
      </header>
      <Card title="Where the time went">
        <PhaseBar phases={i.phases} runningFor={i.startedAt ? Date.now() - i.startedAt : undefined} />
      </Card>
      <div className="columns">
        <Card title="Timeline" className="grow">
          <Timeline events={data.timeline} origin={i.detectedAt} />
        </Card>
        <div className="side">
          <Paged timeline={data.timeline} />
          <LastTime similar={data.similar} />
          <PublicUpdate incidentId={i.id} />
          <Remediations incidentId={i.id} />
          <Suspects details={data} />
          <Card title="Alerts">
            <ul className="plain">
              {data.alerts.map((a) => {
                const source = safeUrl(a.generatorUrl);
                return (
                  <li key={a.id}>
                    <Severity value={a.severity} /> {a.name} <small>{a.service ?? ''} · {a.status} · {a.source}</small>
                    {source && (
                      <>
                        {' '}
                        <a href={source} target="_blank" rel="noreferrer">source</a>
                      </>
                    )}
                  </li>
                );
              })}
            </ul>
          </Card>
          {data.affected && data.affected.affected.length > 0 && (
            <Card title="Affected services">
              <Tree node={data.affected} />
            </Card>
          )}
        </div>
      </div>
    </div>
  );
}

/** Deployments and flag changes that came just before the incident: the usual suspects. */
function Suspects({ details }: { details: IncidentDetails }) {
  const suspects = details.timeline.filter((e) => e.type === 'deployment_correlated' || (e.type === 'flag_changed' && e.payload.correlated === true));
  if (suspects.length === 0) return null;
  return (
    <Card title="Changes just before">
      <ul className="plain">
        {suspects.map((e) =>
          e.type === 'deployment_correlated' ? (
            <li key={e.id}>
              Deploy <strong>{String(e.payload.service)}</strong> {String(e.payload.version)} <small>{clock(Number(e.payload.deployed_at))}</small>
            </li>
          ) : (
            <li key={e.id}>
              Flag <strong>{String(e.payload.flag)}</strong> {flagEnabled(e.payload) === false ? 'switched off' : 'changed'} <small>{clock(Number(e.payload.changed_at ?? e.at))}</small>
            </li>
          ),
        )}
      </ul>
    </Card>
  );
}

function Tree({ node }: { node: Affected }) {
  return (
    <ul className="tree">
      <li>
        <strong>{node.service}</strong> {node.alerts.length > 0 && <small>{node.alerts.join(', ')}</small>}
        {node.affected.map((c) => (
          <Tree key={c.service} node={c} />
        ))}
      </li>
    </ul>
  );
}

function Actions({ details }: { details: IncidentDetails }) {
  const { can } = useSession();
  const [form, setForm] = useState<'cause' | 'note' | 'resolve' | null>(null);
  const [text, setText] = useState('');
  const i = details.incident;
  const action = useChange('incidents', ({ path, body }: { path: string; body?: unknown }) => api(`/api/incidents/${i.id}/${path}`, { method: 'POST', body }));
  if (!can('responder')) return null;
  const act = (path: string, body?: unknown) =>
    action.mutate(
      { path, body },
      {
        onSuccess: () => {
          setForm(null);
          setText('');
        },
      },
    );
  const closed = i.status === 'closed';
  return (
    <div className="actions">
      <div className="buttons">
        {!closed && i.acknowledgedAt === null && <button onClick={() => act('ack')}>Acknowledge</button>}
        <button onClick={() => setForm('cause')}>Record cause</button>
        {!closed && i.resolvedAt === null && <button onClick={() => setForm('resolve')}>Resolve</button>}
        <button onClick={() => setForm('note')}>Add note</button>
      </div>
      {form && (
        <form
          className="inline-form"
          onSubmit={(e) => {
            e.preventDefault();
            if (form === 'cause') act('diagnose', { cause: text });
            if (form === 'note') act('notes', { text });
            if (form === 'resolve') act('resolve', text ? { note: text } : {});
          }}
        >
          <label>
            {form === 'cause' ? 'Cause' : form === 'note' ? 'Note' : 'What fixed it (optional)'}
            <textarea value={text} onChange={(e) => setText(e.target.value)} required={form !== 'resolve'} rows={2} />
          </label>
          <div className="buttons">
            <button type="submit">{form === 'resolve' ? 'Resolve' : 'Save'}</button>
            <button type="button" className="quiet" onClick={() => setForm(null)}>Cancel</button>
          </div>
        </form>
      )}
      <Failure error={action.error?.message} />
    </div>
  );
}
