import type { Store } from '../store/index.js';
import type { IncidentFilter } from './filter.js';
import { mttrTotal } from './mttr.js';

/**
 * The article's maturity levels, from a range's median MTTR, and whether it is getting better: the
 * median now against the median over the range of equal length just before it.
 *
 *   Elite < 15 min · Advanced < 30 min · Intermediate < 1 h · Basic < 4 h · otherwise Below Basic
 */

export type MaturityLevel = 'Elite' | 'Advanced' | 'Intermediate' | 'Basic' | 'Below Basic';

/** Upper bounds (exclusive, minutes) with the capability the article pairs with each level. */
export const MATURITY_LEVELS: readonly { level: MaturityLevel; belowMinutes: number; capability: string }[] = [
  { level: 'Elite', belowMinutes: 15, capability: 'Automated remediation, feature flags' },
  { level: 'Advanced', belowMinutes: 30, capability: 'Automated diagnosis, runbooks' },
  { level: 'Intermediate', belowMinutes: 60, capability: 'Good observability, playbooks' },
  { level: 'Basic', belowMinutes: 240, capability: 'Monitoring alerts work' },
];

export function maturityLevel(medianMinutes: number): MaturityLevel {
  for (const { level, belowMinutes } of MATURITY_LEVELS) if (medianMinutes < belowMinutes) return level;
  return 'Below Basic';
}

export type Trend = 'improving' | 'worsening' | 'flat';

/**
 * Lower MTTR is better. Changes within `tolerance` of the earlier median (5 % by default) are flat, so a
 * few seconds either way do not read as a trend. Null when either side has no incidents.
 */
export function mttrTrend(before: number | null, now: number | null, tolerance = 0.05): Trend | null {
  if (before === null || now === null) return null;
  if (Math.abs(now - before) <= tolerance * before) return 'flat';
  return now < before ? 'improving' : 'worsening';
}

export interface MaturityAssessment {
  level: MaturityLevel | null;
  medianMinutes: number | null;
  incidents: number;
  /** The range of equal length just before this one; null when the range has no start. */
  previous: { since: number; until: number; medianMinutes: number | null; incidents: number } | null;
  trend: Trend | null;
}

export interface MaturityOptions extends IncidentFilter {
  /** The end of a range given only a start; defaults to the current time. */
  now?: number;
}

/**
 * Level and trend of a range. A range without a start ("everything") has no previous range, so no trend.
 */
export async function assessMaturity(store: Store, options: MaturityOptions): Promise<MaturityAssessment> {
  const { now, ...filter } = options;
  const until = filter.since !== undefined ? (filter.until ?? now ?? Date.now()) : filter.until;
  const current = mttrTotal(store, { ...filter, until });
  const previousRange = filter.since !== undefined && until !== undefined ? { since: filter.since - (until - filter.since), until: filter.since } : null;
  const previous = previousRange ? mttrTotal(store, { ...filter, ...previousRange }) : undefined;
  const [c, p] = await Promise.all([current, previous]);
  const medianMinutes = c.mttr.median;
  return {
    level: medianMinutes === null ? null : maturityLevel(medianMinutes),
    medianMinutes,
    incidents: c.incidents,
    previous: previousRange && p ? { ...previousRange, medianMinutes: p.mttr.median, incidents: p.incidents } : null,
    trend: p ? mttrTrend(p.mttr.median, medianMinutes) : null,
  };
}
