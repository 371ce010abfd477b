import type { Phases } from '../../../src/server/responses/incidents';
import { duration } from './format';

/**
 * The four phases of an incident as one bar, against the maturity targets (Elite < 15 min, Advanced
 * < 30 min, Intermediate < 1 h, Basic < 4 h): where the time went, and how far from the next level.
 */

const PHASES = [
  ['detect_ms', 'Detect'],
  ['diagnose_ms', 'Diagnose'],
  ['resolve_ms', 'Resolve'],
  ['verify_ms', 'Verify'],
] as const;

const TARGETS = [
  [15 * 60_000, 'Elite'],
  [30 * 60_000, 'Advanced'],
  [60 * 60_000, 'Intermediate'],
  [4 * 60 * 60_000, 'Basic'],
] as const;

export function maturityOf(mttr: number | null): string {
  if (mttr === null) return 'in progress';
  for (const [limit, name] of TARGETS) if (mttr < limit) return name;
  return 'Below Basic';
}

export function PhaseBar({ phases, runningFor }: { phases: Phases; runningFor?: number }) {
  const known = PHASES.map(([k]) => phases[k] ?? 0);
  const total = phases.mttr_ms ?? Math.max(runningFor ?? 0, known.reduce((a, b) => a + b, 0));
  // The scale reaches the next maturity target above the total, so the markers are meaningful.
  const scale = Math.max(total, (TARGETS.find(([limit]) => limit > total) ?? TARGETS[3])[0]);
  return (
    <div className="phasebar" aria-label="time per phase">
      <div className="phasebar-track">
        {PHASES.map(([key, label], i) => {
          const v = phases[key];
          if (!v) return null;
          return (
            <div key={key} className={`phase phase-${i}`} style={{ width: `${(v / scale) * 100}%` }} title={`${label}: ${duration(v)}`}>
              <span>{label}</span>
            </div>
          );
        })}
        {TARGETS.filter(([limit]) => limit <= scale).map(([limit, name]) => (
          <div key={name} className="target" style={{ left: `${(limit / scale) * 100}%` }} title={`${name}: under ${duration(limit)}`}>
            <span>{name}</span>
          </div>
        ))}
      </div>
      <dl className="phase-legend">
        {PHASES.map(([key, label], i) => (
          <div key={key}>
            <dt>
              <i className={`dot phase-${i}`} /> {label}
            </dt>
            <dd>{duration(phases[key])}</dd>
          </div>
        ))}
        <div>
          <dt>MTTR</dt>
          <dd>
            {duration(phases.mttr_ms)} <small>{maturityOf(phases.mttr_ms)}</small>
          </dd>
        </div>
      </dl>
    </div>
  );
}
