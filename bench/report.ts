/**
 * MTTR report over 1,000,000 incidents, on SQLite and on PostgreSQL: `npx tsx bench/report.ts [count]`.
 * Inserts the incidents in batches (phase durations from derivePhases, as Medic stores them), then times
 * the report by month, by ISO week, and filtered to one service and a quarter, and what `medic report`
 * computes (the report plus maturity and its trend). Goal: under 2 s each.
 * Uses a temporary SQLite file and a PostgreSQL schema of its own (MEDIC_BENCH_PG_URL, default the test
 * database), both removed at the end.
 *
 * Other jobs may share the machine: the load average is printed with the figures, and so is the CPU
 * time the work took — this process's (all of SQLite's work) and, when PostgreSQL runs on this machine,
 * its server processes' for our connections (read from /proc), which the machine's load inflates far
 * less than wall time.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import { sql } from 'kysely';
import pg from 'pg';
import { derivePhases } from '../src/incidents/phases.js';
import { mttrReport, type MttrReportOptions } from '../src/report/mttr.js';
import { assessMaturity } from '../src/report/maturity.js';
import { mttrGaugeSamples } from '../src/report/metrics.js';
import { mttrSummary } from '../src/report/summary.js';
import { Store, type NewRow } from '../src/store/index.js';

const COUNT = Number(process.argv[2] ?? 1_000_000);
const BATCH = 1000;
const PG_URL = process.env.MEDIC_BENCH_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
const T0 = Date.UTC(2025, 0, 1);
const SPAN = 2 * 365 * 86_400_000;
const MINUTE = 60_000;

/** mulberry32: the same incidents on both engines, every run. */
function rng(seed: number) {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Log-normal-ish minutes, so medians and p90s are not trivial. */
const duration = (r: () => number, medianMinutes: number) => Math.round(medianMinutes * MINUTE * Math.exp((r() + r() + r() - 1.5) * 1.6));

function* incidents(count: number): Generator<NewRow<'incidents'>[]> {
  const r = rng(42);
  let batch: NewRow<'incidents'>[] = [];
  for (let i = 0; i < count; i++) {
    const started = T0 + Math.floor(r() * SPAN);
    const detected = started + duration(r, 4);
    const diagnosed = r() < 0.15 ? null : detected + duration(r, 25);
    const resolved = r() < 0.08 ? null : (diagnosed ?? detected) + duration(r, 12);
    const verified = resolved === null || r() < 0.2 ? null : resolved + duration(r, 5);
    const t = { started_at: started, detected_at: detected, diagnosed_at: diagnosed, resolved_at: resolved, verified_at: verified };
    batch.push({
      fingerprint: `fp-${i}`,
      title: `Incident ${i}`,
      service: `service-${i % 20}`,
      severity: `P${1 + (i % 4)}`,
      status: resolved === null ? 'open' : 'closed',
      source: 'import',
      labels: '{}',
      reopen_count: 0,
      ...t,
      ...derivePhases(t),
      created_at: detected,
      updated_at: detected,
    });
    if (batch.length === BATCH) {
      yield batch;
      batch = [];
    }
  }
  if (batch.length) yield batch;
}

const APPLICATION = 'medic-bench';

/** CPU milliseconds the PostgreSQL server processes of our connections have used (0 where /proc cannot tell). */
async function serverCpu(store: Store): Promise<number> {
  if (store.engine !== 'postgres') return 0;
  const { rows } = await sql<{ pid: number }>`SELECT pid FROM pg_stat_activity WHERE application_name = ${APPLICATION}`.execute(store.db);
  let ms = 0;
  for (const { pid } of rows) {
    try {
      // Fields 14 and 15 of /proc/<pid>/stat: user and system time, in clock ticks (100 per second).
      const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
      ms += (Number(fields[11]) + Number(fields[12])) * 10;
    } catch {
      // PostgreSQL on another machine, or a connection that closed meanwhile.
    }
  }
  return ms;
}

/** Wall time, this process's CPU time, and the CPU time of our PostgreSQL server processes. */
async function time<T>(store: Store, fn: () => Promise<T>): Promise<[T, string]> {
  const server = await serverCpu(store);
  const cpu = process.cpuUsage();
  const t = performance.now();
  const result = await fn();
  const wall = performance.now() - t;
  const used = process.cpuUsage(cpu);
  const serverMs = (await serverCpu(store)) - server;
  const node = (used.user + used.system) / 1000;
  return [result, `${wall.toFixed(0)} ms (cpu ${node.toFixed(0)}${store.engine === 'postgres' ? ` + server ${serverMs}` : ''})`];
}

async function bench(label: string, url: string): Promise<void> {
  const store = await Store.open({ url });
  try {
    const insertStart = performance.now();
    await (async () => {
      // Four writers, each committing 50,000 incidents per transaction: PostgreSQL inserts on several
      // connections at once; SQLite's single connection simply takes them in turn.
      const batches = incidents(COUNT);
      const takeChunk = () => {
        const chunk: NewRow<'incidents'>[][] = [];
        while (chunk.length < 50) {
          const next = batches.next();
          if (next.done) break;
          chunk.push(next.value);
        }
        return chunk;
      };
      const writer = async () => {
        for (;;) {
          const chunk = takeChunk();
          if (chunk.length === 0) return;
          await store.transaction(async (trx) => {
            for (const rows of chunk) await trx.insertInto('incidents').values(rows).execute();
          });
        }
      };
      await Promise.all([writer(), writer(), writer(), writer()]);
      // What autovacuum would have done by the time anyone asks for a report: statistics, and on
      // PostgreSQL the visibility map, without which no scan can be index-only.
      await sql.raw(store.engine === 'postgres' ? 'VACUUM (ANALYZE) incidents' : 'ANALYZE incidents').execute(store.db);
    })();
    console.log(`${label}: inserted ${COUNT.toLocaleString('en')} incidents in ${((performance.now() - insertStart) / 1000).toFixed(1)} s; load average ${load()}`);

    const cases: [string, MttrReportOptions][] = [
      ['by month, everything', { by: 'month' }],
      ['by ISO week, everything', { by: 'week' }],
      ['by week, one service, one quarter', { by: 'week', service: 'service-3', since: Date.UTC(2026, 0, 1), until: Date.UTC(2026, 3, 1) }],
    ];
    for (const [name, options] of cases) {
      // The first run after a bulk load also pays for reading the data in (and, on PostgreSQL, setting
      // hint bits on every row); it is printed first, apart from the three runs after it.
      const timings: string[] = [];
      let report;
      for (let i = 0; i < 4; i++) {
        const [r, took] = await time(store, () => mttrReport(store, options));
        report = r;
        timings.push(took);
      }
      const [cold, ...warm] = timings;
      const t = report!.total;
      console.log(
        `${label}: report ${name}: first ${cold}; then ${warm.join(', ')} ` +
          `(${report!.periods.length} periods, ${t.incidents.toLocaleString('en')} incidents, MTTR mean ${t.mttr.mean?.toFixed(3)} ` +
          `median ${t.mttr.median?.toFixed(3)} p90 ${t.mttr.p90?.toFixed(3)} max ${t.mttr.max?.toFixed(1)} min)`,
      );
    }
    const [summary, summaryTook] = await time(store, () => mttrSummary(store, { by: 'month', since: Date.UTC(2026, 6, 1), until: Date.UTC(2027, 0, 1), now: T0 + SPAN }));
    const m = summary.maturity;
    console.log(`${label}: medic report --since 2026-07-01 --until 2027-01-01 (report, maturity, trend, bottleneck): ${summaryTook} (${m.level}, median ${m.medianMinutes?.toFixed(3)} vs ${m.previous?.medianMinutes?.toFixed(3)} min: ${m.trend}; bottleneck ${summary.bottleneck?.phase})`);
    const [everything, everythingTook] = await time(store, () => mttrSummary(store, { by: 'month', now: T0 + SPAN }));
    console.log(`${label}: medic report (everything, by month, with maturity and bottleneck): ${everythingTook} (${everything.maturity.level}, bottleneck ${everything.bottleneck?.phase})`);
    const [maturity, maturityTook] = await time(store, () => assessMaturity(store, { since: Date.UTC(2026, 6, 1), until: Date.UTC(2027, 0, 1) }));
    console.log(`${label}: maturity H2 2026 alone: ${maturityTook} (${maturity.level}, median ${maturity.medianMinutes?.toFixed(3)} vs ${maturity.previous?.medianMinutes?.toFixed(3)} min: ${maturity.trend})`);
    const [samples, gaugeTook] = await time(store, () => mttrGaugeSamples(store, { now: T0 + SPAN }));
    console.log(`${label}: gauge, last 30 days: ${gaugeTook} (${samples.map((s) => `${s.labels.phase}/${s.labels.quantile}=${s.value.toFixed(0)}s`).join(' ')})`);
  } finally {
    await store.close();
  }
}

// The machine's load matters as much as the code: print it with the figures.
const load = () => loadavg().map((l) => l.toFixed(2)).join(' ');
console.log(`${COUNT.toLocaleString('en')} incidents, ${cpus().length} CPUs, load average ${load()}`);
const dir = mkdtempSync(path.join(tmpdir(), 'medic-bench-'));
const schema = `medic_bench_${randomBytes(4).toString('hex')}`;
try {
  await bench('sqlite', `sqlite://${path.join(dir, 'bench.db')}`);
  await bench('postgres', `${PG_URL}?schema=${schema}&application_name=${APPLICATION}`);
  console.log(`load average ${load()}`);
} finally {
  rmSync(dir, { recursive: true, force: true });
  const client = new pg.Client({ connectionString: PG_URL });
  await client.connect();
  await client.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
  await client.end();
}
