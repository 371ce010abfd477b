import type { Automation } from '../../../src/server/responses/reports';
import { Card, Empty, Failure } from './bits';
import { duration } from './format';
import { useApi } from '../queries';

/**
 * The top ten without automation (GET /api/reports/automation): the most frequent incident types of the
 * last 90 days that lack a runbook or a remediation rule, with what they cost; the types that have both
 * follow, greyed.
 */
export function AutomationCard() {
  const { data, error } = useApi<Automation>('/api/reports/automation');
  const title = 'Top ten without automation (90 days)';
  if (error) return <Card title={title}><Failure error={error} /></Card>;
  if (!data) return <Card title={title}><div className="loading">Loading…</div></Card>;
  return (
    <Card title={title}>
      {data.types.length === 0 ? (
        <Empty>No incidents in the last 90 days.</Empty>
      ) : (
        <div className="scroll-x">
          <table className="list automation">
            <thead>
              <tr>
                <th>Alert</th>
                <th>Service</th>
                <th className="num">Incidents</th>
                <th className="num">Time lost</th>
                <th className="num hide-narrow">Median MTTR</th>
                <th>Runbook</th>
                <th>Remediation</th>
              </tr>
            </thead>
            <tbody>
              {data.types.map((t, i) => (
                <tr key={`${t.alert ?? ''}\u0000${t.service ?? ''}`} className={i < data.top ? 'to-automate' : 'meta'}>
                  <td>{t.alert ?? <span className="meta">no alert</span>}</td>
                  <td>{t.service ?? '—'}</td>
                  <td className="num">{t.incidents}</td>
                  <td className="num">{t.median_mttr_ms === null ? '—' : duration(t.time_lost_ms)}</td>
                  <td className="num hide-narrow">{t.median_mttr_ms === null ? '—' : duration(t.median_mttr_ms)}</td>
                  <td className={t.runbook ? 'covered' : 'gap'}>{t.runbook ? '✓' : '✗'}</td>
                  <td className={t.remediation ? 'covered' : 'gap'}>{t.remediation ? '✓' : '✗'}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </Card>
  );
}
