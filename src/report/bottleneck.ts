import { PHASES, type Phase } from '../incidents/phases.js';
import type { PeriodStats } from './mttr.js';

/**
 * "Measure each phase independently, identify your biggest bottleneck, and focus improvement efforts
 * there": the phase with the largest share of MTTR over a range, with the lever that shortens it.
 * Time to acknowledge overlaps the phases; when it alone takes a larger share than the largest phase,
 * people answering late is the bottleneck.
 */

export const PHASE_LEVERS: Readonly<Record<Phase, string>> = {
  detect: 'alert latency and monitoring gaps: alerts that fire within 2 minutes, synthetic checks of critical user journeys',
  diagnose: 'observability and runbooks: structured logs, metrics and traces, diagnosis dashboards, automated runbooks',
  resolve: 'automation and change speed: automated remediation, feature flags, one-command rollback',
  verify: 'monitoring feedback loops: automatic recovery checks against error rate and latency',
};

/** The lever when people take longest to answer: time to acknowledge (beside the phases, see stats.ts). */
export const ACKNOWLEDGE_LEVER = 'on-call: page the person on call with the diagnosis attached, escalate sooner (a shorter `after`), acknowledge from the page';

export interface Bottleneck {
  /** A phase, or `acknowledge` when waiting for a person to answer took a larger share than any phase. */
  phase: Phase | 'acknowledge';
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
  const ack = stats.acknowledge;
  if (ack.share !== null && ack.share > p.share!) return { phase: 'acknowledge', share: ack.share, meanMinutes: null, medianMinutes: ack.median, lever: ACKNOWLEDGE_LEVER };
  return { phase: best, share: p.share!, meanMinutes: p.mean, medianMinutes: p.median, lever: PHASE_LEVERS[best] };
}
