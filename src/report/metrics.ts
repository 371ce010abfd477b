import { sql } from 'kysely';
import { PHASES, type Phase } from '../incidents/phases.js';
import type { Store } from '../store/index.js';
import { recoveredIncidents, type IncidentFilter } from './filter.js';
import { ACK_MS } from './stats.js';

/**
 * The values of the Prometheus gauge `medic_mttr_seconds{phase, quantile}` over the last 30 days
 * (incidents detected in the window that have recovered): the median and p90 of each phase and of MTTR,
 * and of time to acknowledge (`phase="acknowledge"`, over those someone acknowledged).
 * Just the numbers; registering the gauge with prom-client is the server's job.
 */

export const MTTR_GAUGE_WINDOW_MS = 30 * 86_400_000;
export const MTTR_GAUGE_QUANTILES = ['0.5', '0.9'] as const;

export interface GaugeSample {
  labels: { phase: Phase | 'total' | 'acknowledge'; quantile: (typeof MTTR_GAUGE_QUANTILES)[number] };
  /** Seconds. */
  value: number;
}

export interface GaugeOptions extends Pick<IncidentFilter, 'service' | 'severity'> {
  now: number;
  windowMs?: number;
}

/** One sample per phase and quantile; none when no incident recovered in the window (no data, not zero). */
export async function mttrGaugeSamples(store: Store, options: GaugeOptions): Promise<GaugeSample[]> {
  const { now, windowMs = MTTR_GAUGE_WINDOW_MS, ...filter } = options;
  const series = [...PHASES.map((phase) => [phase, sql<number | null>`${sql.ref(`${phase}_ms`)}`] as const), ['total', sql<number | null>`mttr_ms`] as const, ['acknowledge', ACK_MS] as const];
  const requests = series.flatMap(([phase, value]) => MTTR_GAUGE_QUANTILES.map((quantile) => ({ phase, quantile, fraction: Number(quantile), value })));
  const computed = store.report.percentilesCont(requests);
  const row = (await recoveredIncidents(store.db, { ...filter, since: now - windowMs, until: now })
    .select(computed.map((expression, i) => expression.as(`p${i}`)))
    .executeTakeFirst()) as Record<string, number | null> | undefined;
  const samples: GaugeSample[] = [];
  requests.forEach(({ phase, quantile }, i) => {
    const ms = row?.[`p${i}`];
    if (ms !== null && ms !== undefined) samples.push({ labels: { phase, quantile }, value: Number(ms) / 1000 });
  });
  return samples;
}
