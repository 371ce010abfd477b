import type { ServiceRate, Tile } from '../../../src/diagnose/command-center/schema';
import { compact, ms, percent } from './format';

/** The command center's three figures, and the error rate by service as bars. */

type Kind = 'rate' | 'ms' | 'count';

function delta(t: Tile, kind: Kind): { text: string; tone: 'bad' | 'good' | 'flat' } | null {
  if (t.value === null || t.previous === null) return null;
  const d = t.value - t.previous;
  const shown = kind === 'rate' ? `${(Math.abs(d) * 100).toFixed(1)} pt` : kind === 'ms' ? ms(Math.abs(d)) : compact(Math.abs(d));
  if (/^0(\.0)?( pt| ms)?$/.test(shown)) return { text: 'no change', tone: 'flat' };
  // Throughput has no good direction: more traffic is not better, less may just be night.
  const tone = kind === 'count' ? 'flat' : d > 0 ? 'bad' : 'good';
  return { text: `${d > 0 ? '▲' : '▼'} ${shown}`, tone };
}

export function MetricTile({ label, tile, kind, unit }: { label: string; tile: Tile; kind: Kind; unit?: string }) {
  const value = kind === 'rate' ? percent(tile.value) : kind === 'ms' ? ms(tile.value) : `${compact(tile.value)}${unit ? ` ${unit}` : ''}`;
  const d = delta(tile, kind);
  return (
    <section className="card tile" aria-label={label}>
      <h2>{label}</h2>
      <p className="tile-value">
        <strong>{value}</strong>
        {d && <span className={`delta delta-${d.tone}`} title="against the window before">{d.text}</span>}
      </p>
      <p className="tile-basis">
        {tile.source === 'prometheus' ? 'Prometheus' : 'checks'} · {tile.basis}
      </p>
    </section>
  );
}

export function ServiceBars({ services, total }: { services: ServiceRate[]; total: number }) {
  const worst = Math.max(0.0001, ...services.map((s) => s.errorRate.value ?? 0));
  return (
    <ul className="bars" aria-label="error rate by service">
      {services.map((s) => {
        const v = s.errorRate.value ?? 0;
        return (
          <li key={s.service ?? ''} title={s.runs !== null ? `${s.failed} of ${s.runs} check runs failed` : 'from Prometheus'}>
            <span className="bar-name">{s.service ?? '(no service)'}</span>
            <span className="bar-track">
              <span className={`bar ${v >= 0.05 ? 'bar-bad' : v > 0 ? 'bar-warn' : 'bar-ok'}`} style={{ width: `${(v / worst) * 100}%` }} />
            </span>
            <span className="bar-value">{percent(s.errorRate.value)}</span>
          </li>
        );
      })}
      {total > services.length && <li className="more">… and {total - services.length} more services</li>}
    </ul>
  );
}
