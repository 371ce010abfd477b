import { Card, Empty, Failure } from '../components/bits';
import { clock, duration } from '../components/format';
import { useApi } from '../queries';
import type { OncallOverview, Shift } from '../../../src/server/responses/oncall';

/**
 * On call: per schedule who is on call now and next, and the rotation over the next two weeks as a
 * timeline; per escalation policy who each level pages now.
 */

const DAY = 86_400_000;

/** One hue per person, the same on every visit. */
function hue(person: string): number {
  let h = 0;
  for (const c of person) h = (h * 31 + c.charCodeAt(0)) % 360;
  return h;
}

function Rotation({ shifts, from }: { shifts: Shift[]; from: number }) {
  const span = 14 * DAY;
  const pct = (t: number) => `${(Math.min(Math.max(t - from, 0), span) / span) * 100}%`;
  return (
    <div className="rotation" role="img" aria-label={shifts.map((s) => `${s.person} ${clock(s.start)} to ${clock(s.end)}`).join('; ')}>
      {shifts.map((s) => (
        <div
          key={`${s.person}-${s.start}`}
          className={`shift${s.override ? ' override' : ''}`}
          style={{ left: pct(s.start), width: `calc(${pct(s.end)} - ${pct(s.start)})`, background: `hsl(${hue(s.person)} 55% 80%)` }}
          title={`${s.person}${s.override ? ' (override)' : ''}: ${clock(s.start)} → ${clock(s.end)}`}
        >
          {s.person}
        </div>
      ))}
      {Array.from({ length: 13 }, (_, i) => (
        <span key={i} className="day-tick" style={{ left: `${((i + 1) / 14) * 100}%` }} />
      ))}
    </div>
  );
}

export function OncallPage() {
  // Who is on call moves with the clock, not with a change on the stream: read it again every minute.
  const { data, error } = useApi<OncallOverview>('/api/oncall', { every: 60_000 });
  if (error) return <Failure error={error} />;
  if (!data) return <div className="loading">Loading…</div>;
  return (
    <div className="oncall">
      <header className="page-head">
        <h1>On call</h1>
      </header>
      {data.schedules.length === 0 && data.policies.length === 0 && <Empty>No schedules or escalation policies: add oncall: to medic.yaml.</Empty>}
      {data.schedules.map((s) => (
        <Card key={s.name} title={`${s.name} (${s.timezone})`} label={`schedule ${s.name}`}>
          <p className="now-next">
            <span>
              Now: <strong>{s.current?.person ?? 'nobody'}</strong>
              {s.current && ` until ${clock(s.current.end)}`}
            </span>
            <span>
              Next: <strong>{s.next?.person ?? 'nobody'}</strong>
              {s.next && ` from ${clock(s.next.start)}`}
            </span>
          </p>
          <Rotation shifts={s.upcoming} from={data.at} />
          <p className="meta">Next two weeks, from {clock(data.at)}.</p>
        </Card>
      ))}
      {data.policies.length > 0 && (
        <Card title="Escalation policies">
          <table className="list">
            <thead>
              <tr>
                <th>Policy</th>
                <th>Pages</th>
                <th>Levels (who now)</th>
              </tr>
            </thead>
            <tbody>
              {data.policies.map((p) => (
                <tr key={p.name}>
                  <th scope="row">
                    {p.name}
                    {p.services.length > 0 && <small className="meta"> {p.services.join(', ')}</small>}
                  </th>
                  <td>{p.page === 'immediately' ? 'immediately' : 'on escalation'}{p.repeat ? `, repeat ${p.repeat}×` : ''}</td>
                  <td>
                    <ol className="levels">
                      {p.levels.map((l) => (
                        <li key={l.level}>
                          {l.afterMs ? `after ${duration(l.afterMs)}: ` : ''}
                          {l.targets.map((t) => (t.kind === 'schedule' ? `${t.target} → ${t.person ?? 'nobody'}` : t.target)).join(', ')}
                        </li>
                      ))}
                    </ol>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </Card>
      )}
    </div>
  );
}
