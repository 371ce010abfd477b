import { sql } from 'kysely';
import type { Store } from '../store/index.js';
import { recoveredIncidents, type IncidentFilter } from './filter.js';
import { MINUTE, num } from './stats.js';

/**
 * The article's maturity levels, from a range's median MTTR, and whether it is getting better: the
 * median now against the median over the range of equal length just before it.
 *
 *   Elite < 15 min · Advanced < 30 min · Intermediate < 1 h · Basic < 4 h · otherwise Below Basic
 */

export type MaturityLevel = 'Elite' | 'Advanced' | 'Intermediate' | 'Basic' | 'Below Basic';

/** Upper bounds (exclusive, minutes) with the capability each level pairs with. */
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
  /** The range's own median and count when already known (from its report), so only the previous range is read. */
  current?: { medianMinutes: number | null; incidents: number };
}

/** Median MTTR (minutes) and count of a range: the one percentile maturity needs, nothing else. */
async function medianMttr(store: Store, filter: IncidentFilter): Promise<{ medianMinutes: number | null; incidents: number }> {
  const [median] = store.report.percentilesCont([{ fraction: 0.5, value: sql<number | null>`mttr_ms` }]);
  const row = await store.report.session(store.db, (db) =>
    recoveredIncidents(db, filter).select([sql<number>`count(*)`.as('n'), median!.as('p')]).executeTakeFirst(),
  );
  const p = num(row?.p);
  return { medianMinutes: p === null ? null : p / MINUTE, incidents: num(row?.n) ?? 0 };
}

/**
 * Level and trend of a range. A range without a start ("everything") has no previous range, so no trend.
 */
export async function assessMaturity(store: Store, options: MaturityOptions): Promise<MaturityAssessment> {
  const { now, current: known, ...filter } = options;
  const until = filter.since !== undefined ? (filter.until ?? now ?? Date.now()) : filter.until;
  const previousRange = filter.since !== undefined && until !== undefined ? { since: filter.since - (until - filter.since), until: filter.since } : null;
  const [c, p] = await Promise.all([known ?? medianMttr(store, { ...filter, until }), previousRange ? medianMttr(store, { ...filter, ...previousRange }) : undefined]);
  return {
    level: c.medianMinutes === null ? null : maturityLevel(c.medianMinutes),
    medianMinutes: c.medianMinutes,
    incidents: c.incidents,
    previous: previousRange && p ? { ...previousRange, ...p } : null,
    trend: p ? mttrTrend(p.medianMinutes, c.medianMinutes) : null,
  };
}
