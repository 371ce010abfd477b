import type { Coverage, FailureMode } from '../../../src/server/responses/reports';
import { AutomationCard } from '../components/automation';
import { Card, Failure } from '../components/bits';
import { duration } from '../components/format';
import { useApi } from '../queries';

/**
 * Alert coverage: every service against the four ways it can fail, gaps in red; then every detector's
 * worst-case time to detect, those slower than the 2-minute target in red with the setting to lower.
 */

const MODES: [FailureMode, string][] = [
  ['availability', 'Availability'],
  ['latency', 'Latency'],
  ['error_rate', 'Error rate'],
  ['dependency', 'Dependency'],
];

export function CoveragePage() {
  const { data, error } = useApi<Coverage>('/api/reports/coverage');
  if (error) return <Failure error={error} />;
  if (!data) return <div className="loading">Loading…</div>;
  const s = data.summary;
  return (
    <div className="coverage">
      <header className="page-head">
        <h1>Alert coverage</h1>
        <p className={data.ok ? 'ok' : 'failure'}>
          {data.ok ? 'Every failure mode of every service is covered, fast enough.' : `${s.gaps} gap${s.gaps === 1 ? '' : 's'} in ${s.servicesWithGaps} of ${s.services} services; ${s.slow} slow detector${s.slow === 1 ? '' : 's'}.`}
        </p>
      </header>
      <Card title="Services × failure modes">
        <div className="scroll-x">
          <table className="list matrix">
            <thead>
              <tr>
                <th>Service</th>
                {MODES.map(([, label]) => (
                  <th key={label}>{label}</th>
                ))}
              </tr>
            </thead>
            <tbody>
              {data.services.map((svc) => (
                <tr key={svc.service}>
                  <th scope="row">
                    {svc.service}
                    {!svc.configured && <small className="meta"> (not under services:)</small>}
                  </th>
                  {MODES.map(([mode, label]) => {
                    const m = svc.modes[mode];
                    return (
                      <td key={mode} className={m.covered ? 'covered' : 'gap'} title={m.covered ? `${label}: ${m.by.join(', ')}` : `${label}: nothing detects it`}>
                        {m.covered ? '✓' : '✗ gap'}
                        {m.covered && <small className="meta hide-narrow"> {m.by.slice(0, 2).join(', ')}{m.by.length > 2 ? ` +${m.by.length - 2}` : ''}{m.throughDependencies ? ' (dependencies)' : ''}</small>}
                      </td>
                    );
                  })}
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      </Card>
      <AutomationCard />
      <Card title={`Worst-case time to detect (target ${duration(data.targetMs)})`}>
        <table className="list">
          <thead>
            <tr>
              <th>Detector</th>
              <th className="hide-narrow">Service</th>
              <th className="hide-narrow">Modes</th>
              <th className="num">Worst case</th>
            </tr>
          </thead>
          <tbody>
            {data.detectors.map((d) => (
              <tr key={`${d.kind}:${d.name}`} className={d.slow ? 'slow' : ''}>
                <td>
                  {d.name} <small className="meta">{d.kind}</small>
                  {d.slow && <div className="failure small">{d.slow}</div>}
                </td>
                <td className="hide-narrow">{d.service ?? '—'}</td>
                <td className="hide-narrow">{d.modes.join(', ') || 'unclassified'}</td>
                <td className={`num ${d.slow ? 'failure' : ''}`}>{d.worstCaseMs === null ? 'unknown' : duration(d.worstCaseMs)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </Card>
    </div>
  );
}
