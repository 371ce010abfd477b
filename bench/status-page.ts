/**
 * GET /status with 1,000 listed services and 90 days of hourly roll-ups (2.16 million rows), over real
 * HTTP on loopback: `npx tsx bench/status-page.ts [engines] [requests] [concurrency]` (default
 * `sqlite` — or `sqlite,postgres` — 300 requests, 4 at a time). Goal: p99 under 100 ms.
 *
 * Printed side by side, measured in the same run with the same client:
 * - GET /status as served (the answer kept a few seconds, recomputed in the background meanwhile), as a
 *   browser asks for it (gzip) and uncompressed;
 * - the reference: a bare Fastify route answering the same bytes from memory;
 * - the first request (90 days read from the roll-ups) and the first after an incident change (days
 *   that ended are kept, today is read again), for what a cold or changed page costs.
 * - under load: 20,000 requests a minute to GET /status (open loop, from a process of its own:
 *   bench/load/status-load.ts) for SECONDS (default 20) s, while the API is asked (GET /api/incidents
 *   with a token, every 50 ms) and 20 HTTP monitors run each second against a loopback server: the API's
 *   latency, the scheduler's lag and the event loop's delay, each beside the same measured for as long
 *   with no status traffic (the reference), and /status's latency beside the bare Fastify reference at
 *   the same rate (the API and the checks are measured then too: what serving those bytes alone costs).
 *   Goal: the API and the checks not slowed (p99 within 10 ms of the reference).
 * Every request comes from another client address (X-Forwarded-For from a trusted proxy), so the rate
 * limiter sees them as the public does. Roll-ups are generated inside the database; the SQLite file and
 * the PostgreSQL schema (MEDIC_BENCH_PG_URL, default the test database) are removed at the end.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:http';
import { loadavg, tmpdir } from 'node:os';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import { monitorEventLoopDelay, performance } from 'node:perf_hooks';
import Fastify from 'fastify';
import { sql } from 'kysely';
import pg from 'pg';
import { request } from 'undici';
import { loadConfigText } from '../src/config/index.js';
import { appendToIncident, ingestAlerts } from '../src/incidents/index.js';
import { appContext } from '../src/runtime/all-in-one.js';
import { openRuntime } from '../src/runtime/bootstrap.js';
import { buildCore, type Core } from '../src/runtime/core.js';
import { startMonitoring } from '../src/runtime/monitoring.js';
import { buildApp } from '../src/server/app.js';
import { systemClock } from '../src/shared/clock.js';
import { silentLogger } from '../src/shared/logger.js';
import { StatusPageService } from '../src/notify/status-page/index.js';
import type { StatusPageConfig } from '../src/config/index.js';

const ENGINES = (process.argv[2] ?? 'sqlite').split(',');
const REQUESTS = Number(process.argv[3] ?? 300);
const CONCURRENCY = Number(process.argv[4] ?? 4);
const SERVICES = 1000;
const DAYS = 90;
const GOAL_MS = 100;
const SECONDS = Number(process.env.SECONDS ?? 20);
const PER_MINUTE = 20_000;
const CHECKS = 20;
const TOKEN = randomBytes(24).toString('hex');
const PG_URL = process.env.MEDIC_BENCH_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
const HOUR = 3_600_000;
const NOW = Date.now();
const FIRST_HOUR = NOW - (NOW % 86_400_000) - (DAYS - 1) * 86_400_000;

const names = Array.from({ length: SERVICES }, (_, i) => `service-${String(i).padStart(4, '0')}`);
const load = () => loadavg().map((l) => l.toFixed(2)).join(' ');
const percentile = (sorted: number[], q: number) => sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)]!;

async function seed(core: Core): Promise<void> {
  const { db } = core.rt.store;
  for (let i = 0; i < SERVICES; i += 500) {
    await db
      .insertInto('monitors')
      .values(names.slice(i, i + 500).map((service, k) => ({ name: `${service} health`, service, type: 'http', config_hash: String(i + k), config: '{}', status: (i + k) % 97 === 5 ? 'degraded' : 'up', last_run_at: NOW, created_at: FIRST_HOUR, updated_at: NOW })))
      .execute();
  }
  // An hour's roll-up per monitor for every hour of the window so far: 60 runs, a failure now and then.
  const hours = Math.floor((NOW - FIRST_HOUR) / HOUR) + 1;
  const h = sql.raw('((m.id * 7919 + t.i * 104729) % 1000)');
  const select = sql`SELECT m.id, CAST(${FIRST_HOUR} AS bigint) + CAST(t.i AS bigint) * ${HOUR}, 60, CASE WHEN ${h} < 3 THEN 57 ELSE 60 END, 0, 7200`;
  const columns = sql`(monitor_id, hour, runs, up, degraded, duration_ms_sum)`;
  if (core.rt.store.engine === 'postgres') {
    await sql`INSERT INTO check_rollups ${columns} ${select} FROM generate_series(0, ${hours - 1}::int) AS t(i) CROSS JOIN monitors m WHERE m.service <> 'bench-checks'`.execute(db);
  } else {
    await sql`WITH RECURSIVE t(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM t WHERE i < ${hours - 1}) INSERT INTO check_rollups ${columns} ${select} FROM t CROSS JOIN monitors m WHERE m.service <> 'bench-checks'`.execute(db);
  }
  // Ten active incidents with a written update each, and a hundred closed ones over the window.
  for (let i = 0; i < 110; i++) {
    const [r] = await ingestAlerts(core.incidents, [{ source: 'webhook', name: `Alert${i}`, fingerprint: `fp-${i}`, status: 'firing', service: names[(i * 37) % SERVICES]!, severity: i % 3 === 0 ? 'P2' : 'P3', labels: {}, annotations: {}, startsAt: NOW - (i + 1) * 19 * HOUR, endsAt: null, title: `Alert ${i}` }], 'bench');
    const id = r!.incidentId!;
    if (i < 10) await appendToIncident(core.incidents, id, [{ type: 'public_update', actor: 'bench', payload: { status: 'identified', message: `We found the cause of problem ${i} and are fixing it.`, by: 'responder' } }]);
    else await appendToIncident(core.incidents, id, [{ type: 'resolved', actor: 'bench', at: NOW - (i + 1) * 19 * HOUR + HOUR }, { type: 'verified', actor: 'bench', at: NOW - (i + 1) * 19 * HOUR + 2 * HOUR }]);
  }
}

async function get(url: string, client: string, gzip = false): Promise<{ ms: number; bytes: number }> {
  const started = performance.now();
  const res = await request(url, { headers: { 'x-forwarded-for': client, ...(gzip ? { 'accept-encoding': 'gzip' } : {}) } });
  const body = Buffer.from(await res.body.arrayBuffer());
  if (res.statusCode !== 200) throw new Error(`${url}: ${res.statusCode} ${body.toString().slice(0, 200)}`);
  return { ms: performance.now() - started, bytes: body.length };
}

/** `REQUESTS` GETs, `CONCURRENCY` at a time, each from another address; latencies sorted. */
async function measure(url: string, gzip: boolean): Promise<number[]> {
  const times: number[] = [];
  let next = 0;
  const worker = async () => {
    while (next < REQUESTS) {
      const n = next++;
      times.push((await get(url, `198.51.${(n >> 8) & 255}.${n & 255}`, gzip)).ms);
    }
  };
  await Promise.all(Array.from({ length: CONCURRENCY }, worker));
  return times.sort((a, b) => a - b);
}

/** CPU ms the main thread has used (Linux: /proc/self/task/<pid>/stat, in clock ticks of 10 ms). */
function mainThreadCpuMs(): number {
  const fields = readFileSync(`/proc/self/task/${process.pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
  return (Number(fields[11]) + Number(fields[12])) * 10;
}

/**
 * What one recomputation costs the main thread (the event loop that serves the API and runs the checks),
 * on a service of its own asked for a new computation each time: the thread's CPU ms per computation,
 * less what the checks, running meanwhile, use in as long idle; and the process's CPU ms (every thread:
 * the render worker's computation and renderings too). CPU time, unlike the latencies, does not grow
 * with what other processes do on a shared machine.
 */
async function recomputeCost(core: Core, page: StatusPageConfig, n = 20): Promise<{ mainMs: number; cpuMs: number }> {
  const service = new StatusPageService({ store: core.rt.store, page, clock: systemClock, staleMs: 0 });
  try {
    await service.get();
    await (await service.get()).html();
    // The checks' own use, measured before and after (the lower: a background job may fall in one).
    const idleRate = async () => {
      const [main, started] = [mainThreadCpuMs(), performance.now()];
      await new Promise((r) => setTimeout(r, 2000));
      return (mainThreadCpuMs() - main) / (performance.now() - started);
    };
    const before = await idleRate();
    const main = mainThreadCpuMs();
    const cpu = process.cpuUsage();
    const started = performance.now();
    for (let i = 0; i < n; i++) await (await service.get()).html();
    const wall = performance.now() - started;
    const [used, mainUsed] = [process.cpuUsage(cpu), mainThreadCpuMs() - main];
    const rate = Math.min(before, await idleRate());
    return { mainMs: (mainUsed - rate * wall) / n, cpuMs: (used.user + used.system) / 1000 / n };
  } finally {
    await service.stop();
  }
}

interface LoadResult {
  sent: number;
  answered: number;
  errors: number;
  seconds: number;
  p50: number;
  p99: number;
  max: number;
}

/** PER_MINUTE requests a minute to `url` for SECONDS, from a process of its own (bench/load/status-load.ts). */
function statusLoad(url: string): Promise<LoadResult> {
  const child = spawn(process.execPath, [...process.execArgv, path.join(import.meta.dirname, 'load/status-load.ts'), url, String(PER_MINUTE), String(SECONDS)], { stdio: ['ignore', 'pipe', 'inherit'] });
  let out = '';
  child.stdout.on('data', (d: Buffer) => (out += d.toString()));
  return new Promise((resolve, reject) => child.on('exit', (code) => (code === 0 ? resolve(JSON.parse(out) as LoadResult) : reject(new Error(`status load exited with ${code}`)))));
}

interface Window {
  api: number[];
  lag: number[];
  loop: { p99: number; max: number; busy: number };
  status: LoadResult | undefined;
}

/**
 * SECONDS of the API asked every 50 ms (GET /api/incidents with a viewer token), the checks' lag and
 * the event loop's delay recorded, with `loadUrl` under PER_MINUTE requests a minute meanwhile if given.
 */
async function window(base: string, lags: { into: number[] }, loadUrl?: string): Promise<Window> {
  const lag: number[] = [];
  lags.into = lag;
  const loop = monitorEventLoopDelay({ resolution: 10 });
  loop.enable();
  const elu = performance.eventLoopUtilization();
  const load = loadUrl ? statusLoad(loadUrl) : undefined;
  const api: number[] = [];
  const end = performance.now() + SECONDS * 1000;
  while (performance.now() < end) {
    const started = performance.now();
    const res = await request(`${base}/api/incidents`, { headers: { authorization: `Bearer ${TOKEN}` } });
    await res.body.arrayBuffer();
    if (res.statusCode !== 200) throw new Error(`GET /api/incidents: ${res.statusCode}`);
    api.push(performance.now() - started);
    await new Promise((r) => setTimeout(r, 50));
  }
  const status = await load;
  const busy = performance.eventLoopUtilization(elu).utilization;
  loop.disable();
  lags.into = [];
  return { api: api.sort((a, b) => a - b), lag: lag.sort((a, b) => a - b), loop: { p99: loop.percentile(99) / 1e6, max: loop.max / 1e6, busy }, status };
}

async function openStore(engine: string): Promise<{ url: string; drop: () => Promise<void> }> {
  if (engine === 'sqlite') {
    const dir = mkdtempSync(path.join(tmpdir(), 'medic-bench-status-'));
    return { url: `sqlite://${path.join(dir, 'medic.db')}`, drop: async () => rmSync(dir, { recursive: true, force: true }) };
  }
  const schema = `medic_bench_status_${randomBytes(4).toString('hex')}`;
  return {
    url: `${PG_URL}?schema=${schema}`,
    drop: async () => {
      const client = new pg.Client({ connectionString: PG_URL });
      await client.connect();
      await client.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
      await client.end();
    },
  };
}

async function run(engine: string): Promise<void> {
  const { url: storeUrl, drop } = await openStore(engine);
  // What the checks ask: a loopback server answering at once, so their lag is the scheduler's own.
  const target = createServer((_req, res) => res.end('ok'));
  await new Promise<void>((r) => target.listen(0, '127.0.0.1', r));
  const targetPort = (target.address() as { port: number }).port;
  const config = `storage: { url: "${storeUrl}" }
server: { trust_proxy: ["127.0.0.1"] }
auth:
  tokens:
    - { name: bench, role: viewer, token: "\${MEDIC_BENCH_TOKEN}" }
services:
${names.map((n) => `  - { name: ${n} }`).join('\n')}
  - { name: bench-checks }
monitors:
${Array.from({ length: CHECKS }, (_, i) => `  - { name: check-${i}, service: bench-checks, type: http, url: "http://127.0.0.1:${targetPort}/health", interval: 1s, timeout: 5s }`).join('\n')}
status_page:
  title: "Bench status"
  services: [${names.join(', ')}]
  history: ${DAYS}d
  rate_limit_per_minute: 100000
`;
  const rt = await openRuntime(loadConfigText(config, { env: { MEDIC_BENCH_TOKEN: TOKEN } }), { logger: silentLogger, clock: systemClock, applyConfig: true });
  const reference = Fastify({ logger: false });
  const lags = { into: [] as number[] };
  let monitoring: Awaited<ReturnType<typeof startMonitoring>> | undefined;
  try {
    const core = await buildCore(rt);
    // Before the seed: syncing medic.yaml's monitors would disable the seeded ones, which it does not list.
    monitoring = await startMonitoring(core, { onLag: (ms) => lags.into.push(ms) });
    let started = performance.now();
    await seed(core);
    const rows = Number((await rt.store.db.selectFrom('check_rollups').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n);
    console.log(`\n${engine}: seeded ${SERVICES} services, ${rows.toLocaleString('en')} hourly roll-ups, 110 incidents in ${((performance.now() - started) / 1000).toFixed(1)} s`);

    const app = await buildApp(appContext(core));
    const base = await app.listen({ port: 0, host: '127.0.0.1' });
    try {
      const cold = await get(`${base}/status`, '192.0.2.1');
      // An incident change drops the kept answer; the next request waits for a new one.
      await appendToIncident(core.incidents, 1, [{ type: 'public_update', actor: 'bench', payload: { status: 'monitoring', message: 'A fix is out.', by: 'responder' } }]);
      started = performance.now();
      for (let i = 0; i < 100; i++) {
        const page = await request(`${base}/status`, { headers: { 'x-forwarded-for': '192.0.2.2' } }).then((r) => r.body.text());
        if (page.includes('A fix is out.')) break;
        await new Promise((r) => setTimeout(r, 50));
      }
      const afterChange = performance.now() - started;

      // The reference answers the very bytes Medic sends (plain, or gzipped when asked), from memory.
      const plain = Buffer.from(await (await request(`${base}/status`)).body.arrayBuffer());
      const zipped = Buffer.from(await (await request(`${base}/status`, { headers: { 'accept-encoding': 'gzip' } })).body.arrayBuffer());
      reference.get('/status', async (req, reply) => {
        reply.type('text/html; charset=utf-8');
        return /gzip/.test(req.headers['accept-encoding'] ?? '') ? reply.header('content-encoding', 'gzip').send(zipped) : reply.send(plain);
      });
      const refBase = await reference.listen({ port: 0, host: '127.0.0.1' });

      const results: [string, number[]][] = [];
      for (const gzip of [true, false]) {
        const how = gzip ? `gzip, ${(zipped.length / 1e3).toFixed(0)} kB` : `plain, ${(plain.length / 1e6).toFixed(2)} MB`;
        results.push([`GET /status (Medic; ${how})`, await measure(`${base}/status`, gzip)]);
        results.push([`reference: bare Fastify, same bytes (${how})`, await measure(`${refBase}/status`, gzip)]);
      }
      const row = (label: string, t: number[]) => `${label.padEnd(48)} ${percentile(t, 0.5).toFixed(1).padStart(8)} ${percentile(t, 0.99).toFixed(1).padStart(8)} ${t.at(-1)!.toFixed(1).padStart(8)}`;
      console.log(`${REQUESTS} requests per row, ${CONCURRENCY} at a time; load average ${load()}`);
      console.log(`${''.padEnd(48)} ${'p50 ms'.padStart(8)} ${'p99 ms'.padStart(8)} ${'max ms'.padStart(8)}`);
      for (const [label, t] of results) console.log(row(label, t));
      const [medic, ref] = [results[0]![1], results[1]![1]];
      console.log(`goal: p99 under ${GOAL_MS} ms (as a browser asks, gzip) → ${percentile(medic, 0.99) < GOAL_MS ? 'met' : 'NOT met'}; Medic − reference at p99: ${(percentile(medic, 0.99) - percentile(ref, 0.99)).toFixed(1)} ms`);
      console.log(`first request (90 days read from the roll-ups): ${cold.ms.toFixed(0)} ms; an incident change until the page shows it: ${afterChange.toFixed(0)} ms`);

      const cost = await recomputeCost(core, rt.loaded.config.status_page!);
      console.log(`one recomputation (read, compute, HTML rendered): main thread CPU ${cost.mainMs.toFixed(1)} ms, process CPU ${cost.cpuMs.toFixed(1)} ms (all threads); load average ${load()}`);

      const quiet = await window(base, lags);
      const loaded = await window(base, lags, `${base}/status`);
      const bare = await window(base, lags, `${refBase}/status`);
      console.log(`\nunder load: ${PER_MINUTE.toLocaleString('en')} requests/min to GET /status (gzip) for ${SECONDS} s; ${CHECKS} checks/s; load average ${load()}`);
      console.log(`${''.padEnd(48)} ${'p50 ms'.padStart(8)} ${'p99 ms'.padStart(8)} ${'max ms'.padStart(8)}`);
      const p = (t: number[]) => percentile(t, 0.99);
      console.log(row('GET /api/incidents, no status traffic (ref)', quiet.api));
      console.log(row('GET /api/incidents, /status under load', loaded.api));
      console.log(row('GET /api/incidents, bare Fastify under load', bare.api));
      console.log(row('scheduler lag, no status traffic (ref)', quiet.lag));
      console.log(row('scheduler lag, /status under load', loaded.lag));
      console.log(row('scheduler lag, bare Fastify under load', bare.lag));
      // The load's own p50/p99/max; "in N s" says whether the server kept up (SECONDS if it did).
      const statusRow = (label: string, r: LoadResult) =>
        `${label.padEnd(48)} ${r.p50.toFixed(1).padStart(8)} ${r.p99.toFixed(1).padStart(8)} ${r.max.toFixed(1).padStart(8)}   (${r.answered}/${r.sent} answered in ${r.seconds.toFixed(0)} s, ${r.errors} errors)`;
      console.log(statusRow('GET /status under load (Medic)', loaded.status!));
      console.log(statusRow('GET /status under load (ref: bare Fastify)', bare.status!));
      const loopText = (w: Window) => `${w.loop.p99.toFixed(1)} / ${w.loop.max.toFixed(1)} ms, busy ${(w.loop.busy * 100).toFixed(0)}%`;
      console.log(`event loop delay p99 / max, and share of time busy: ${loopText(quiet)} (ref: no status traffic); ${loopText(loaded)} (Medic /status under load); ${loopText(bare)} (bare Fastify under load)`);
      // "Not slowed": p99 under load within 10 ms of the reference (the noise of a shared machine).
      const within = (a: number[], b: number[]) => (p(a) - p(b) <= 10 ? 'met' : 'NOT met');
      console.log(`goal: API p99 not slowed → ${within(loaded.api, quiet.api)} (${(p(loaded.api) - p(quiet.api)).toFixed(1)} ms over the reference); checks not slowed → ${within(loaded.lag, quiet.lag)} (lag p99 ${(p(loaded.lag) - p(quiet.lag)).toFixed(1)} ms over the reference); /status p99 under load under ${GOAL_MS} ms → ${loaded.status!.p99 < GOAL_MS && loaded.status!.errors === 0 ? 'met' : 'NOT met'}`);
    } finally {
      await app.close();
    }
  } finally {
    await monitoring?.stop();
    await reference.close();
    target.close();
    await rt.store.close();
    await drop();
  }
}

for (const engine of ENGINES) await run(engine);
