import { PHASES, type Phase } from '../incidents/phases.js';
import type { PeriodStats } from './mttr.js';

/**
 * "Measure each phase independently, identify your biggest bottleneck, and focus improvement efforts
 * there": the phase with the largest share of MTTR over a range, with the lever that shortens it.
 */

export const PHASE_LEVERS: Readonly<Record<Phase, string>> = {
  detect: 'alert latency and monitoring gaps: alerts that fire within 2 minutes, synthetic checks of critical user journeys',
  diagnose: 'observability and runbooks: structured logs, metrics and traces, diagnosis dashboards, automated runbooks',
  resolve: 'automation and change speed: automated remediation, feature flags, one-command rollback',
  verify: 'monitoring feedback loops: automatic recovery checks against error rate and latency',
};

export interface Bottleneck {
  phase: Phase;
  /** Share of the range's total MTTR spent in this phase (0 … 1). */
  share: number;
  meanMinutes: number | null;
  medianMinutes: number | null;
  lever: string;
}

/** The phase with the largest share (the earlier phase on a tie); null without incidents or time spent. */
export function findBottleneck(stats: PeriodStats): Bottleneck | null {
  let best: Phase | null = null;
  for (const phase of PHASES) {
    const share = stats.phases[phase].share;
    if (share !== null && share > 0 && (best === null || share > stats.phases[best].share!)) best = phase;
  }
  if (best === null) return null;
  const p = stats.phases[best];
  return { phase: best, share: p.share!, meanMinutes: p.mean, medianMinutes: p.median, lever: PHASE_LEVERS[best] };
}
