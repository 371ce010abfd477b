// Alert-storm benchmark (issue 3): 100,000 alerts posted as Alertmanager payloads of 10 alerts each,
// from a load generator in a second process, over 500 distinct fingerprints in 20 services; then counts
// what was recorded. Run: npx tsx bench/ingest.ts [sqlite|postgres|both]   (ALERTS=100000, CONNECTIONS=8)
// Goals (issue 14): PostgreSQL >= 2,000 alerts/s with p99 < 50 ms; SQLite >= 4,000 alerts/s with p99 < 50 ms;
// nothing lost, one incident per service (dedup and grouping exact). Each engine's line prints its goal
// and whether it was met; the reference is the other engine in the same run and the figures of issue 14.
import { execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { loadConfigText } from '../src/config/index.js';
import { startAllInOne } from '../src/runtime/all-in-one.js';
import { openRuntime } from '../src/runtime/bootstrap.js';
import { silentLogger } from '../src/shared/logger.js';
import { createToken } from '../src/store/index.js';

const GOALS = { postgres: { alertsPerSecond: 2_000, p99ms: 50 }, sqlite: { alertsPerSecond: 4_000, p99ms: 50 } } as const;
const TOTAL = Number(process.env.ALERTS ?? 100_000);
const BATCH = 10;
const FINGERPRINTS = 500;
const SERVICES = 20;
const CONNECTIONS = Number(process.env.CONNECTIONS ?? 8);
const PG_URL = process.env.MEDIC_BENCH_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

async function run(engine: 'sqlite' | 'postgres') {
  const dir = mkdtempSync(path.join(tmpdir(), 'medic-bench-'));
  const schema = `medic_bench_${randomBytes(4).toString('hex')}`;
  const url = engine === 'sqlite' ? `sqlite://${dir}/medic.db` : `${PG_URL}?schema=${schema}`;
  const loaded = loadConfigText(`server: { port: 0, host: 127.0.0.1 }\nstorage: { url: "${url}", pool_size: 10 }\n`);
  const rt = await openRuntime(loaded, { logger: silentLogger, applyConfig: true });
  const { token } = await createToken(rt.store.db, { name: 'bench', role: 'responder', source: 'cli' }, Date.now());
  const server = await startAllInOne(rt, { port: 0, host: '127.0.0.1' });
  const cpu0 = process.cpuUsage();

  const load = spawn(process.execPath, ['--import', 'tsx', path.join(import.meta.dirname, 'load/alertmanager-load.ts'), `${server.url}/api/alerts/alertmanager`, token, String(TOTAL), String(BATCH), String(CONNECTIONS), String(FINGERPRINTS), String(SERVICES)], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  let out = '';
  load.stdout.on('data', (d) => (out += d));
  await new Promise((r) => load.on('exit', r));
  const cpu = process.cpuUsage(cpu0);
  const result = JSON.parse(out.trim().split('\n').at(-1)!);

  const count = async (q: Promise<{ n: unknown } | undefined>) => Number((await q)?.n ?? 0);
  const db = rt.store.db;
  const alerts = await count(db.selectFrom('alerts').select((eb) => eb.fn.countAll().as('n')).executeTakeFirst());
  const incidents = await count(db.selectFrom('incidents').select((eb) => eb.fn.countAll().as('n')).executeTakeFirst());
  const events = await count(db.selectFrom('incident_events').select((eb) => eb.fn.countAll().as('n')).executeTakeFirst());
  const byType = Object.fromEntries(
    (await db.selectFrom('incident_events').select(['type', (eb) => eb.fn.countAll().as('n')]).groupBy('type').execute()).map((r) => [r.type, Number(r.n)]),
  );
  await server.stop();
  if (engine === 'sqlite') rmSync(dir, { recursive: true, force: true });
  else {
    const c = new pg.Client({ connectionString: PG_URL });
    await c.connect();
    await c.query(`DROP SCHEMA ${schema} CASCADE`);
    await c.end();
  }
  // Every fingerprint's service groups its alerts into one incident (group_by service, 5 min window).
  const expectedIncidents = SERVICES;
  const goal = GOALS[engine];
  const met = result.alertsPerSecond >= goal.alertsPerSecond && result.p99 < goal.p99ms && result.alerts === alerts && incidents === expectedIncidents && result.errors === 0;
  console.log(
    `${engine}: ${Math.round(result.alertsPerSecond)} alerts/s (goal >= ${goal.alertsPerSecond}), p99 ${result.p99.toFixed(1)} ms (goal < ${goal.p99ms}), ` +
      `lost ${result.alerts - alerts}, incidents ${incidents}/${expectedIncidents}: goal ${met ? 'met' : 'NOT met'}; load average ${loadavg().map((l) => l.toFixed(2)).join(' ')}`,
  );
  console.log(
    JSON.stringify({
      engine,
      alertsPerSecond: Math.round(result.alertsPerSecond),
      p50ms: +result.p50.toFixed(2),
      p99ms: +result.p99.toFixed(2),
      maxms: +result.max.toFixed(2),
      httpErrors: result.errors,
      posted: result.alerts,
      recordedAlerts: alerts,
      lost: result.alerts - alerts,
      incidents,
      expectedIncidents,
      timelineEvents: events,
      timelineEventsByType: byType,
      medicCpuSeconds: +((cpu.user + cpu.system) / 1e6).toFixed(1),
      seconds: +result.seconds.toFixed(1),
    }),
  );
}

const which = process.argv[2] ?? 'both';
console.log(`node ${process.version}, ${execFileSync('nproc').toString().trim()} cores; ${TOTAL} alerts in payloads of ${BATCH}, ${FINGERPRINTS} fingerprints, ${SERVICES} services, ${CONNECTIONS} connections`);
if (which === 'sqlite' || which === 'both') await run('sqlite');
if (which === 'postgres' || which === 'both') await run('postgres');
