/**
 * GET /api/command-center over 1,000 services, 10,000 monitors and a day of their check results, on
 * SQLite and on PostgreSQL: `npx tsx bench/command-center.ts [monitors] [hours] [interval seconds]`
 * (default 10000 monitors, 24 h, every 60 s: 14.4 million results). Goal (issue 14): p99 under 50 ms
 * computed on every request, on both engines; the reference is the core alone, in the same run.
 *
 * Results are generated inside the database (a recursive CTE on SQLite, generate_series on PostgreSQL),
 * in time order as a scheduler writes them, with timings and assertion details as wide as real ones.
 * Then, through Fastify's inject (routing, auth, zod serialization included), three figures:
 * - every request computes (the kept answer dropped before each, as when checks change every second);
 * - the answers as served: twenty dashboards refetching after each change, as the dashboard does;
 * - a request the moment a change is reported (it waits for the computation the change started);
 * - the core alone, for reference.
 * Uses a temporary SQLite file and a PostgreSQL schema of its own (MEDIC_BENCH_PG_URL, default the
 * test database), both removed at the end. The machine's load is printed with the figures.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import { sql } from 'kysely';
import pg from 'pg';
import { loadConfigText } from '../src/config/index.js';
import { commandCenter } from '../src/diagnose/index.js';
import { appContext } from '../src/runtime/all-in-one.js';
import { openRuntime } from '../src/runtime/bootstrap.js';
import { buildCore } from '../src/runtime/core.js';
import { buildApp } from '../src/server/app.js';
import type { ChangeKind } from '../src/server/responses/session.js';
import { ManualClock } from '../src/shared/clock.js';
import { silentLogger } from '../src/shared/logger.js';
import { createToken, type Store } from '../src/store/index.js';

const MONITORS = Number(process.argv[2] ?? 10_000);
const HOURS = Number(process.argv[3] ?? 24);
const INTERVAL_S = Number(process.argv[4] ?? 60);
const SERVICES = 1000;
const PG_URL = process.env.MEDIC_BENCH_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
const MIN = 60_000;
// MEDIC_BENCH_KEEP=1 keeps the seeded databases and prints their `now`; MEDIC_BENCH_SQLITE_FILE,
// MEDIC_BENCH_PG_SCHEMA and MEDIC_BENCH_NOW measure kept ones again (new code, same data) without seeding.
const NOW = Number(process.env.MEDIC_BENCH_NOW ?? Date.now());
const REUSE_SQLITE = process.env.MEDIC_BENCH_SQLITE_FILE;
const REUSE_SCHEMA = process.env.MEDIC_BENCH_PG_SCHEMA;
const START = NOW - HOURS * 3_600_000;
const RUNS_PER_MONITOR = Math.floor((HOURS * 3600) / INTERVAL_S);

const load = () => loadavg().map((l) => l.toFixed(2)).join(' ');

async function seed(store: Store): Promise<void> {
  const db = store.db;
  const services = Array.from({ length: SERVICES }, (_, i) => `service-${String(i).padStart(3, '0')}`);
  // Monitors: 10 per service; one in 500 down, one in 200 degraded, the rest up.
  for (let i = 0; i < MONITORS; i += 1000) {
    await db
      .insertInto('monitors')
      .values(
        Array.from({ length: Math.min(1000, MONITORS - i) }, (_, k) => {
          const n = i + k;
          const status = n % 500 === 7 ? 'down' : n % 200 === 3 ? 'degraded' : 'up';
          return { name: `monitor-${n}`, service: services[n % SERVICES]!, type: 'http', config_hash: String(n), config: '{}', status, last_run_at: NOW - 20_000, created_at: START, updated_at: NOW };
        }),
      )
      .execute();
  }
  const ms = (v: number) => sql`CAST(${v} AS bigint)`;
  await sql`INSERT INTO monitor_schedule (monitor_id, location, next_run_at, status, failing_since, last_run_at)
    SELECT id, '*', ${ms(NOW + MIN)}, status, CASE WHEN status = 'down' THEN ${ms(NOW - 4 * MIN)} ELSE NULL END, ${ms(NOW - 20_000)} FROM monitors`.execute(db);
  // Results, an hour at a time. h is a stable pseudo-random number per run; failing monitors fail
  // their last 5 minutes, other runs fail one time in 500 and are degraded one in 100.
  const h = sql.raw('((m.id * 7919 + t.i * 104729) % 1000)');
  const perHour = Math.floor(3600 / INTERVAL_S);
  for (let from = 0; from < RUNS_PER_MONITOR; from += perHour) {
    const to = Math.min(RUNS_PER_MONITOR, from + perHour) - 1;
    const at = sql`CAST(${START} AS bigint) + t.i * ${INTERVAL_S * 1000} + (m.id * 5987) % ${INTERVAL_S * 1000}`;
    const failing = sql`(m.status = 'down' AND ${at} >= CAST(${NOW - 5 * MIN} AS bigint))`;
    const status = sql`CASE WHEN ${failing} OR ${h} < 2 THEN 'down' WHEN ${h} < 12 THEN 'degraded' ELSE 'up' END`;
    const select = sql`SELECT m.id, ${at}, 20 + (${h} * 37) % 480 + CASE WHEN ${h} >= 2 AND ${h} < 12 THEN 800 ELSE 0 END, ${status},
      CASE WHEN ${failing} OR ${h} < 2 THEN 'expected status 200, got 503' ELSE NULL END,
      '{"dns_ms":1.2,"connect_ms":3.4,"tls_ms":12.8,"first_byte_ms":88.1,"total_ms":104.6}',
      '[{"name":"status","pass":true,"expected":"200","actual":200},{"name":"load time","pass":true,"expected":"< 2000 ms","actual":104.6}]',
      NULL, 'default'`;
    const columns = sql`(monitor_id, started_at, duration_ms, status, error, timings, details, trace_id, location)`;
    if (store.engine === 'postgres') {
      await sql`INSERT INTO check_results ${columns} ${select} FROM generate_series(${from}::int, ${to}::int) AS t(i) CROSS JOIN monitors m ORDER BY t.i, m.id`.execute(db);
    } else {
      await sql`WITH RECURSIVE t(i) AS (SELECT ${from} UNION ALL SELECT i + 1 FROM t WHERE i < ${to}) INSERT INTO check_results ${columns} ${select} FROM t CROSS JOIN monitors m ORDER BY t.i, m.id`.execute(db);
    }
  }
  // Changes and incidents of a busy day: 3 deployments per service, 200 flag changes, 10,000 closed
  // incidents and 40 active ones with their firing alerts.
  for (let i = 0; i < 3 * SERVICES; i += 1000) {
    await db.insertInto('deployments').values(Array.from({ length: 1000 }, (_, k) => ({ service: services[(i + k) % SERVICES]!, version: `v${i + k}`, actor: 'ci', rollback: 0, deployed_at: START + Math.floor(((i + k) / (3 * SERVICES)) * HOURS * 3_600_000), metadata: '{}' }))).execute();
  }
  await db.insertInto('flag_changes').values(Array.from({ length: 200 }, (_, k) => ({ flag_key: `flag-${k % 20}`, at: START + k * 60 * MIN, actor: 'ci', reason: 'rollout', incident_id: null, before: '{"enabled":true,"rollout":1}', after: '{"enabled":false,"rollout":1}' }))).execute();
  for (let i = 0; i < 10_040; i += 1000) {
    const rows = Array.from({ length: Math.min(1000, 10_040 - i) }, (_, k) => {
      const n = i + k;
      const active = n >= 10_000;
      const at = active ? NOW - (n - 9_990) * MIN : START + n * 8000;
      return { fingerprint: `fp-${n}`, title: `Alert ${n}`, service: services[n % SERVICES]!, severity: `P${1 + (n % 4)}`, labels: '{}', status: active ? 'open' : 'closed', source: 'alert', alert_name: `Alert${n}`, started_at: at, detected_at: at + MIN, created_at: at, updated_at: at };
    });
    await db.insertInto('incidents').values(rows).execute();
  }
  const active = await db.selectFrom('incidents').select(['id', 'fingerprint', 'service', 'severity', 'started_at', 'alert_name']).where('status', '=', 'open').execute();
  await db.insertInto('alerts').values(active.map((a) => ({ incident_id: a.id, fingerprint: a.fingerprint, source: 'alertmanager', name: a.alert_name!, service: a.service, severity: a.severity, status: 'firing', labels: '{}', annotations: '{}', starts_at: a.started_at!, received_at: a.started_at!, generator_url: null, group_key: null, silence_id: null }))).execute();
  await db.insertInto('alert_states').values(active.map((a) => ({ fingerprint: a.fingerprint, incident_id: a.id, status: 'firing', starts_at: a.started_at!, updated_at: a.started_at! }))).execute();
  // What autovacuum would have done by the time anyone looks: statistics, and the visibility map.
  await sql.raw(store.engine === 'postgres' ? 'VACUUM (ANALYZE)' : 'ANALYZE').execute(db);
}

function percentiles(ms: number[]): string {
  const s = [...ms].sort((a, b) => a - b);
  const at = (q: number) => s[Math.min(s.length - 1, Math.ceil(q * s.length) - 1)]!;
  return `p50 ${at(0.5).toFixed(1)} ms, p99 ${at(0.99).toFixed(1)} ms, max ${s.at(-1)!.toFixed(1)} ms (n=${s.length})`;
}

async function bench(label: string, url: string, reuse: boolean): Promise<void> {
  const config = `services:\n${Array.from({ length: SERVICES }, (_, i) => `  - { name: service-${String(i).padStart(3, '0')} }`).join('\n')}\nstorage: { url: "${url}", pool_size: 10 }\n`;
  // The clock stands still at the end of the seeded day, however long seeding takes, so every answer
  // looks at the same last minutes of results.
  const opening = performance.now();
  const rt = await openRuntime(loadConfigText(config, { env: {} }), { logger: silentLogger, clock: new ManualClock(NOW), applyConfig: true });
  try {
    const t0 = performance.now();
    if (!reuse) await seed(rt.store);
    const results = await rt.store.db.selectFrom('check_results').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
    const how = reuse ? `reused (opened and migrated in ${((t0 - opening) / 1000).toFixed(0)} s)` : `seeded in ${((performance.now() - t0) / 1000).toFixed(0)} s`;
    console.log(`${label}: ${MONITORS.toLocaleString('en')} monitors, ${Number(results.n).toLocaleString('en')} check results ${how}; load average ${load()}`);

    const core = await buildCore(rt);
    // A change source the bench drives: dropping the kept answer before a request makes it compute.
    const listeners = new Set<(kind: ChangeKind) => void>();
    const changes = { subscribe: (l: (kind: ChangeKind) => void) => (listeners.add(l), () => listeners.delete(l)) };
    const app = await buildApp({ ...appContext(core), changes });
    const token = (await createToken(rt.store.db, { name: 'bench', role: 'viewer', source: 'cli' }, NOW)).token;
    const get = async () => {
      const t = performance.now();
      const res = await app.inject({ method: 'GET', url: '/api/command-center', headers: { authorization: `Bearer ${token}` } });
      if (res.statusCode !== 200) throw new Error(res.body);
      return { ms: performance.now() - t, body: res.json() as { tiles: { errorRate: { value: number } }; monitors: { counts: Record<string, number> }; services: { total: number } } };
    };
    const first = await get();
    console.log(
      `${label}: first answer ${first.ms.toFixed(0)} ms (error rate ${(first.body.tiles.errorRate.value * 100).toFixed(2)}%, ` +
        `${first.body.services.total} services, monitors ${JSON.stringify(first.body.monitors.counts)})`,
    );
    // 200 answers: the p99 is the second highest, not the single slowest of a few.
    const computed: number[] = [];
    for (let i = 0; i < 200; i++) {
      for (const l of listeners) l('checks');
      computed.push((await get()).ms);
    }
    const p99 = [...computed].sort((x, y) => x - y)[Math.ceil(0.99 * computed.length) - 1]!;
    console.log(`${label}: GET, computed every time: ${percentiles(computed)}; goal (issue 14) p99 < 50 ms: ${p99 < 50 ? 'met' : 'NOT met'}`);
    const served: number[] = [];
    const until = performance.now() + 10_000;
    // Twenty dashboards, a change every second: each refetches a second after the change is reported
    // (the browser coalesces bursts of changes that long), as the dashboard does.
    while (performance.now() < until) {
      for (const l of listeners) l('checks');
      await new Promise((r) => setTimeout(r, 1000));
      served.push(...(await Promise.all(Array.from({ length: 20 }, () => get()))).map((r) => r.ms));
    }
    console.log(`${label}: GET as served (20 dashboards refetching 1 s after each change, a change every second): ${percentiles(served)}`);
    const kept: number[] = [];
    for (let i = 0; i < 100; i++) kept.push((await get()).ms);
    console.log(`${label}: GET of a kept answer, one request at a time: ${percentiles(kept)}`);
    const asked: number[] = [];
    // And a request the moment a change is reported: it waits for the computation that change started.
    for (let i = 0; i < 20; i++) {
      for (const l of listeners) l('checks');
      asked.push((await get()).ms);
      await new Promise((r) => setTimeout(r, 200));
    }
    console.log(`${label}: GET right as a change is reported: ${percentiles(asked)}`);
    const core_: number[] = [];
    for (let i = 0; i < 100; i++) {
      const t = performance.now();
      await commandCenter({ store: rt.store, config: rt.loaded.config, now: NOW });
      core_.push(performance.now() - t);
    }
    console.log(`${label}: core alone: ${percentiles(core_)}; load average ${load()}`);
    await app.close();
  } finally {
    await rt.store.close();
  }
}

console.log(`${SERVICES} services, ${MONITORS.toLocaleString('en')} monitors, ${HOURS} h of results every ${INTERVAL_S} s; ${cpus().length} CPUs, load average ${load()}`);
const dir = mkdtempSync(path.join(tmpdir(), 'medic-bench-'));
const schema = `medic_bench_${randomBytes(4).toString('hex')}`;
try {
  const only = process.env.MEDIC_BENCH_ENGINE;
  if (!only || only === 'sqlite') await bench('sqlite', `sqlite://${REUSE_SQLITE ?? path.join(dir, 'bench.db')}`, REUSE_SQLITE !== undefined);
  if (!only || only === 'postgres') await bench('postgres', `${PG_URL}?schema=${REUSE_SCHEMA ?? schema}`, REUSE_SCHEMA !== undefined);
} finally {
  if (!process.env.MEDIC_BENCH_KEEP) rmSync(dir, { recursive: true, force: true });
  else console.log(`kept ${dir} and schema ${schema}; now ${NOW}`);
  const client = new pg.Client({ connectionString: PG_URL });
  await client.connect();
  if (!process.env.MEDIC_BENCH_KEEP) await client.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
  await client.end();
}
