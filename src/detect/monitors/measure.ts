import type { Db } from '../../store/index.js';

/**
 * What an alert rule's `condition` reads, computed over the check results of a window:
 * availability and error_rate (fractions), p50_ms / p95_ms / p99_ms / avg_ms of run durations, runs.
 * A degraded run passed its assertions, so it counts as available.
 */
export interface WindowMeasures {
  runs: number;
  availability: number;
  error_rate: number;
  avg_ms: number;
  p50_ms: number;
  p95_ms: number;
  p99_ms: number;
}

/** Nearest-rank percentile of sorted values. */
function rank(sorted: number[], q: number): number {
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))]!;
}

export async function measureWindow(db: Db, monitorIds: number[], from: number, to: number): Promise<WindowMeasures | null> {
  if (monitorIds.length === 0) return null;
  const rows = await db.selectFrom('check_results').select(['status', 'duration_ms']).where('monitor_id', 'in', monitorIds).where('started_at', '>=', from).where('started_at', '<=', to).execute();
  if (rows.length === 0) return null;
  const ok = rows.filter((r) => r.status !== 'down').length;
  const durations = rows.map((r) => Number(r.duration_ms)).sort((a, b) => a - b);
  const availability = ok / rows.length;
  return {
    runs: rows.length,
    availability,
    error_rate: 1 - availability,
    avg_ms: durations.reduce((a, b) => a + b, 0) / durations.length,
    p50_ms: rank(durations, 0.5),
    p95_ms: rank(durations, 0.95),
    p99_ms: rank(durations, 0.99),
  };
}
