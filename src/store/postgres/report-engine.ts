import { sql, type Expression, type Kysely, type RawBuilder } from 'kysely';
import { checkFraction, checkRank } from '../fraction.js';
import type { CountAndPercentile, PercentileRequest, RangeQuery, RankRequest, ReportEngine } from '../report-engine.js';
import type { Database } from '../schema.js';
import { countAndTopPercentile } from './top-percentile.js';

/**
 * PostgreSQL's report engine: percentiles are the server's own, sorted in the server (nothing to keep
 * in this process), and report sessions run on several pooled connections at once.
 */
export class PostgresReportEngine implements ReportEngine {
  constructor(private readonly poolSize: number) {}

  percentilesCont(requests: readonly PercentileRequest[]): RawBuilder<number | null>[] {
    // PostgreSQL sorts each distinct input once and shares it between the percentiles taken from it.
    return requests.map(({ fraction, value }) => sql<number | null>`percentile_cont(${sql.lit(checkFraction(fraction))}) WITHIN GROUP (ORDER BY ${value})`);
  }

  percentileCont(fraction: number, value: Expression<number | null>): RawBuilder<number | null> {
    return this.percentilesCont([{ fraction, value }])[0]!;
  }

  /** Where each range's high percentile was last time, by the caller's key (see top-percentile.ts). */
  private readonly hints = new Map<string, number>();

  countAndPercentile(key: string, fraction: number, value: Expression<number>, query: RangeQuery): Promise<CountAndPercentile> {
    return countAndTopPercentile(this.hints, key, fraction, value, query);
  }

  keepPercentiles(): undefined {
    return undefined;
  }

  jsonArrayAgg(value: Expression<number | null>): RawBuilder<unknown> {
    return sql`json_agg(${value})`;
  }

  valuesAtRanks(requests: readonly RankRequest[]): RawBuilder<number | null>[][] {
    // One percentile_disc per distinct value, with every rank asked of it: they share one sort. Rank r
    // of n is the first value whose cumulative share reaches (r + 0.5) / n — half a rank away from
    // either neighbour, so floating point can never tip it over.
    const groups: { value: RankRequest['value']; fractions: number[] }[] = [];
    const slots = requests.map(({ value, count, ranks }) => {
      let group = groups.find((g) => g.value === value);
      if (!group) groups.push((group = { value, fractions: [] }));
      return ranks.map((rank) => ({ group, index: group.fractions.push((checkRank(rank, count) + 0.5) / count) }));
    });
    const sqlOf = new Map(groups.map((g) => [g, sql`(percentile_disc(ARRAY[${sql.join(g.fractions.map((f) => sql.lit(f)))}]::float8[]) WITHIN GROUP (ORDER BY ${g.value}))`]));
    return slots.map((ranks) => ranks.map(({ group, index }) => sql<number | null>`${sqlOf.get(group)!}[${sql.lit(index)}]`));
  }

  session<T>(db: Kysely<Database>, fn: (db: Kysely<Database>) => Promise<T>): Promise<T> {
    return db.transaction().setIsolationLevel('repeatable read').execute(async (trx) => {
      // The default 4 MB makes percentile_cont spill a month of a busy system's incidents to disk.
      await sql`SET LOCAL work_mem = '64MB'`.execute(trx);
      return fn(trx);
    });
  }

  get concurrency(): number {
    // Leave half the pool to the API and the workers while a report runs.
    return Math.max(1, Math.min(4, Math.floor(this.poolSize / 2)));
  }
}
