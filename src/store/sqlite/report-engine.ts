import { sql, type Expression, type Kysely, type RawBuilder } from 'kysely';
import { checkFraction, checkRank } from '../fraction.js';
import { readCountAndPercentile, type CountAndPercentile, type PercentileKeeper, type PercentileRequest, type RangeQuery, type RankRequest, type ReportEngine } from '../report-engine.js';
import type { Database } from '../schema.js';
import { PERCENTILES_AGGREGATE, PICK, VALUE_AT, VALUES_AGGREGATE, keptPercentiles, openKept, percentileSpecId, releaseKept } from './percentile.js';

/**
 * SQLite's report engine: percentiles are user-defined aggregates computed in this process
 * (percentile.ts, registered on the connection by the dialect), so they can keep their values for a
 * union of groups; one connection, so report queries run one after another.
 */
export class SqliteReportEngine implements ReportEngine {
  readonly concurrency = 1;

  percentilesCont(requests: readonly PercentileRequest[]): RawBuilder<number | null>[] {
    return percentileAggregates(requests, 0);
  }

  percentileCont(fraction: number, value: Expression<number | null>): RawBuilder<number | null> {
    // SQLite's own (the bundled build has it; percentile.ts registers one otherwise): same arithmetic.
    return sql<number | null>`percentile_cont(${value}, ${sql.lit(checkFraction(fraction))})`;
  }

  async countAndPercentile(_key: string, fraction: number, value: Expression<number>, query: RangeQuery): Promise<CountAndPercentile> {
    return readCountAndPercentile(await query([sql`count(*)`.as('n'), this.percentileCont(fraction, value).as('p')]));
  }

  keepPercentiles(): PercentileKeeper {
    const key = openKept();
    return {
      percentilesCont: (requests) => percentileAggregates(requests, key),
      union: (requests) => keptPercentiles(key, percentileColumns(requests).list),
      release: () => releaseKept(key),
    };
  }

  jsonArrayAgg(value: Expression<number | null>): RawBuilder<unknown> {
    return sql`json_group_array(${value})`;
  }

  valuesAtRanks(requests: readonly RankRequest[]): RawBuilder<number | null>[][] {
    // Correct but not the fast path on SQLite (one call into JavaScript per row and value): reports
    // here compute percentiles in one pass and keep the values instead (see keepPercentiles).
    return requests.map(({ value, count, ranks }) => {
      const collected = sql`${sql.raw(VALUES_AGGREGATE)}(${value})`;
      return ranks.map((rank) => sql<number | null>`${sql.raw(VALUE_AT)}(${collected}, 0, ${sql.lit(checkRank(rank, count))})`);
    });
  }

  session<T>(db: Kysely<Database>, fn: (db: Kysely<Database>) => Promise<T>): Promise<T> {
    return fn(db);
  }
}

/** One column per distinct value expression (in order of first appearance), and each request's column and fraction. */
function percentileColumns(requests: readonly PercentileRequest[]) {
  const values: Expression<number | null>[] = [];
  const list = requests.map(({ value, fraction }) => {
    const known = values.indexOf(value);
    return { column: known >= 0 ? known : values.push(value) - 1, fraction: checkFraction(fraction) };
  });
  return { values, list };
}

/**
 * Every percentile is `medic_pick(medic_percentiles(list, keep, x0, x1, …), j)` with the identical
 * aggregate call, which SQLite evaluates once per row (see percentile.ts).
 */
function percentileAggregates(requests: readonly PercentileRequest[], keep: number): RawBuilder<number | null>[] {
  const { values, list } = percentileColumns(requests);
  const computed = sql`${sql.raw(PERCENTILES_AGGREGATE)}(${sql.lit(percentileSpecId(list))}, ${sql.lit(keep)}, ${sql.join(values)})`;
  return requests.map((_, i) => sql<number | null>`${sql.raw(PICK)}(${computed}, ${sql.lit(i)})`);
}
