import type { PercentileKeeper, Store } from '../store/index.js';
import { recoveredIncidents, type IncidentFilter } from './filter.js';
import { aggregates, countAggregates, interpolate, num, percentileSpecs, rankOf, sumAggregates, type StatsRow } from './stats.js';

/**
 * Each period's aggregates, one query per period over its time range (a slice of the covering index),
 * several periods at once on engines with several connections. Two ways to the percentiles, by engine:
 *
 * - SQLite computes percentile_cont in this process in one pass (store/sqlite/percentile.ts) and can
 *   keep the values for the report's total: one query per period, through the keeper.
 * - PostgreSQL sorts in the server, and percentile_cont sorts float8 copies of the values; percentile_disc
 *   over the bigint itself sorts several times faster. So a period is read twice in one snapshot: its
 *   counts and sums, then the two values around each percentile's position, which the report
 *   interpolates exactly as percentile_cont does.
 */

export interface PeriodQuery {
  /** The part of the period inside the report's range, UTC ms [from, to). */
  from: number;
  to: number;
}

export async function periodRows(store: Store, filter: IncidentFilter, periods: readonly PeriodQuery[], keeper: PercentileKeeper | undefined): Promise<StatsRow[]> {
  const rows: StatsRow[] = new Array(periods.length);
  let next = 0;
  const worker = () =>
    store.report.session(store.db, async (db) => {
      for (let i = next++; i < periods.length; i = next++) {
        const group = recoveredIncidents(db, { ...filter, since: periods[i]!.from, until: periods[i]!.to });
        if (keeper) {
          rows[i] = (await group.select(aggregates(store.report, keeper)).executeTakeFirstOrThrow()) as StatsRow;
          continue;
        }
        // The counts first (from the index alone), then sums and the values at the ranks in one read.
        const counts = (await group.select(countAggregates()).executeTakeFirstOrThrow()) as StatsRow;
        rows[i] = (num(counts.incidents) ?? 0) > 0 ? await byRank(store, group, counts) : counts;
      }
    });
  await Promise.all(Array.from({ length: Math.min(store.report.concurrency, periods.length) }, worker));
  return rows;
}

/** The group's sums and the report's percentiles, from the values at the ranks around each, its counts known. */
async function byRank(store: Store, group: ReturnType<typeof recoveredIncidents>, counts: StatsRow): Promise<StatsRow> {
  const specs = percentileSpecs().map((spec) => {
    const n = num(counts[spec.count]) ?? 0;
    return { spec, n, ...rankOf(spec.fraction, n) };
  });
  const asked = specs.filter((s) => s.n > 0);
  const values = store.report.valuesAtRanks(asked.map(({ spec, n, rank }) => ({ value: spec.value, count: n, ranks: rank + 1 < n ? [rank, rank + 1] : [rank] })));
  const row = (await group.select([...sumAggregates(), ...values.flatMap((pair, j) => pair.map((v, k) => v.as(`rank${j}_${k}`)))]).executeTakeFirstOrThrow()) as StatsRow;
  const out: StatsRow = Object.fromEntries(Object.entries(row).filter(([key]) => !key.startsWith('rank')));
  for (const s of specs) out[s.spec.name] = null;
  asked.forEach(({ spec, frac }, j) => {
    const lo = num(row[`rank${j}_0`]);
    out[spec.name] = lo === null ? null : interpolate(lo, num(row[`rank${j}_1`]), frac);
  });
  // The counts the ranks were computed from must be the ones this read saw (the session is one snapshot).
  if (num(out.incidents) !== num(counts.incidents) || num(out.rd_count) !== num(counts.rd_count)) throw new Error('incident counts changed within one report snapshot');
  return out;
}
