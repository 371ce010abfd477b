import { useMemo, useState } from 'react';
import type { MttrSummary, PeriodStats } from '../../../src/server/responses/reports';
import { Card, Empty, Failure } from '../components/bits';
import { Chart, type Series } from '../components/chart';
import { percent } from '../components/format';
import { useApi } from '../queries';

/**
 * The MTTR report: per month (or ISO week) the median and mean MTTR as a chart, where the time went as
 * stacked bars of the four phases, the maturity level with its trend, and the bottleneck phase with the
 * lever for it. "Measure each phase independently, identify your biggest bottleneck."
 */

const PHASES = ['detect', 'diagnose', 'resolve', 'verify'] as const;
const SERIES: Series[] = [
  { label: 'median', color: '--accent' },
  { label: 'mean', color: '--ph2', dash: [6, 4] },
];

const roundMinutes = (v: number) => `${Math.round(v)}`;
const minutes = (m: number | null | undefined) => (m === null || m === undefined ? '—' : m < 60 ? `${m.toFixed(1)} min` : `${(m / 60).toFixed(1)} h`);

export function ReportPage() {
  const [by, setBy] = useState<'month' | 'week'>('month');
  const { data, error } = useApi<MttrSummary>(`/api/reports/mttr?by=${by}`);
  return (
    <div className="report">
      <header className="page-head">
        <h1>MTTR</h1>
        <div className="segmented" role="group" aria-label="period">
          {(['month', 'week'] as const).map((b) => (
            <button key={b} aria-pressed={by === b} onClick={() => setBy(b)}>
              by {b}
            </button>
          ))}
        </div>
      </header>
      <Failure error={error} />
      {!data && !error && <div className="loading">Loading…</div>}
      {data && data.report.total.incidents === 0 && <Empty>No recovered incident yet: MTTR is measured once incidents are resolved.</Empty>}
      {data && data.report.total.incidents > 0 && <Report data={data} />}
    </div>
  );
}

function Report({ data }: { data: MttrSummary }) {
  const { periods, total } = data.report;
  const { maturity, bottleneck } = data;
  const chart = useMemo(
    () => ({
      x: periods.map((_, i) => i),
      labels: periods.map((p) => p.period),
      values: [periods.map((p) => p.mttr.median), periods.map((p) => p.mttr.mean)],
    }),
    [periods],
  );
  return (
    <>
      <div className="tiles">
        <section className="card tile" aria-label="maturity">
          <h2>Maturity</h2>
          <p className="tile-value">
            <span className={`badge maturity-${(maturity.level ?? 'none').replace(/\s/g, '-').toLowerCase()}`}>{maturity.level ?? '—'}</span>
            {maturity.trend && <span className={`delta delta-${maturity.trend === 'improving' ? 'good' : maturity.trend === 'worsening' ? 'bad' : 'flat'}`}>{maturity.trend}</span>}
          </p>
          <p className="tile-basis">median MTTR {minutes(maturity.medianMinutes)} over {maturity.incidents} incidents · Elite &lt; 15 min, Advanced &lt; 30 min, Intermediate &lt; 1 h, Basic &lt; 4 h</p>
        </section>
        <section className="card tile" aria-label="MTTR">
          <h2>MTTR</h2>
          <p className="tile-value">
            <strong>{minutes(total.mttr.median)}</strong> <small className="meta">median · mean {minutes(total.mttr.mean)} · p90 {minutes(total.mttr.p90)}</small>
          </p>
          <p className="tile-basis">resolved − detected, as usually measured: median {minutes(total.resolvedMinusDetected.median)}</p>
        </section>
        {bottleneck && (
          <section className="card tile bottleneck" aria-label="bottleneck">
            <h2>Bottleneck</h2>
            <p className="tile-value">
              <strong>{bottleneck.phase}</strong> <small className="meta">{percent(bottleneck.share, 0)} of MTTR</small>
            </p>
            <p className="tile-basis">Lever: {bottleneck.lever}</p>
          </section>
        )}
      </div>
      <Card title={`MTTR per ${data.report.by}, minutes`}>
        <Chart x={chart.x} xLabels={chart.labels} series={SERIES} values={chart.values} format={roundMinutes} />
      </Card>
      <Card title="Where the time went (mean minutes per phase)">
        <PhaseBars periods={[...periods, total]} />
      </Card>
    </>
  );
}

/** One stacked bar per period, its length the mean MTTR, split by each phase's mean. */
function PhaseBars({ periods }: { periods: PeriodStats[] }) {
  const longest = Math.max(1, ...periods.map((p) => PHASES.reduce((sum, ph) => sum + (p.phases[ph].mean ?? 0), 0)));
  return (
    <>
      <ul className="stacked" aria-label="phases per period">
        {periods.map((p) => (
          <li key={p.period}>
            <span className="bar-name">{p.period}</span>
            <span className="stack-track">
              {PHASES.map((ph, i) => {
                const v = p.phases[ph].mean ?? 0;
                return v > 0 ? <span key={ph} className={`phase-${i}`} style={{ width: `${(v / longest) * 100}%` }} title={`${ph}: ${minutes(v)} (${percent(p.phases[ph].share, 0)})`} /> : null;
              })}
            </span>
            <span className="bar-value">
              {minutes(p.mttr.mean)} <small className="meta">{p.incidents}</small>
            </span>
          </li>
        ))}
      </ul>
      <p className="phase-legend">
        {PHASES.map((ph, i) => (
          <span key={ph}>
            <i className={`dot phase-${i}`} /> {ph}
          </span>
        ))}
      </p>
    </>
  );
}
