// Scale-out benchmark (issue 9): one PostgreSQL schema, M http monitors at a fixed interval against a
// loopback target, run by 1, 2, 4… `medic worker` processes. For each worker count, after a warm-up:
// checks/s done (from check_results), CPU ms per 1,000 checks (all workers together), scheduler lag
// p50/p99 (each worker's /metrics on --metrics-port, histograms summed), and runs closer than half an
// interval to the previous run of the same monitor (goal 0: none twice), and the late results the
// workers dropped because their lease had passed to another claim (medic_check_results_fenced_total).
// Medic runs compiled (npm run build first), or from source with FROM_SOURCE=1.
// Run: npx tsx bench/scale.ts [workers...]   (default 1 2 4; MONITORS=3000 INTERVAL=10 SECONDS=60
//      WARMUP=15; PG_URL=postgres://postgres@127.0.0.1:5432/test)
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer as createHttpServer } from 'node:http';
import { loadavg, tmpdir } from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { freePort, waitHttp } from './lib/net.js';

const MONITORS = Number(process.env.MONITORS ?? 3000);
const INTERVAL_S = Number(process.env.INTERVAL ?? 10);
const SECONDS = Number(process.env.SECONDS ?? 60);
const WARMUP = Number(process.env.WARMUP ?? 15);
const PG_URL = process.env.PG_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
const counts = process.argv.slice(2).map(Number).filter((n) => n > 0);
const root = path.resolve(import.meta.dirname, '..');
const fromSource = process.env.FROM_SOURCE === '1' || !existsSync(path.join(root, 'dist/cli/main.js'));


/** utime + stime of a process in ms, from /proc. */
function cpuMs(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
  return ((Number(stat[11]) + Number(stat[12])) * 1000) / 100;
}

/** medic_check_results_fenced_total, summed over the workers' /metrics. */
async function fencedTotal(urls: string[]): Promise<number> {
  let total = 0;
  for (const url of urls) {
    const m = /^medic_check_results_fenced_total (\d+)/m.exec(await (await fetch(url)).text());
    total += Number(m?.[1] ?? 0);
  }
  return total;
}

/** Cumulative bucket counts of medic_scheduler_lag_seconds, summed over the workers' /metrics. */
async function lagBuckets(urls: string[]): Promise<Map<number, number>> {
  const out = new Map<number, number>();
  for (const url of urls) {
    const text = await (await fetch(url)).text();
    for (const m of text.matchAll(/^medic_scheduler_lag_seconds_bucket\{[^}]*le="([^"]+)"[^}]*\} (\d+)/gm)) {
      const le = m[1] === '+Inf' ? Infinity : Number(m[1]);
      out.set(le, (out.get(le) ?? 0) + Number(m[2]));
    }
  }
  return out;
}

function histogramQuantile(a: Map<number, number>, b: Map<number, number>, q: number): number {
  const bounds = [...b.keys()].sort((x, y) => x - y);
  const want = q * ((b.get(Infinity) ?? 0) - (a.get(Infinity) ?? 0));
  let prevBound = 0;
  let prevCount = 0;
  for (const le of bounds) {
    const count = (b.get(le) ?? 0) - (a.get(le) ?? 0);
    if (count >= want) return Number.isFinite(le) ? (prevBound + ((le - prevBound) * (want - prevCount)) / Math.max(1, count - prevCount)) * 1000 : prevBound * 1000;
    prevBound = le;
    prevCount = count;
  }
  return NaN;
}

function medic(args: string[]): ChildProcess {
  const argv = fromSource ? ['--import', 'tsx', path.join(root, 'test/helpers/medic-bin.ts'), ...args] : [path.join(root, 'bin/medic.js'), ...args];
  return spawn(process.execPath, argv, { cwd: root, stdio: 'ignore', env: { ...process.env, MEDIC_LOG_LEVEL: 'warn' } });
}

async function benchWorkers(workers: number, target: string, dir: string) {
  const schema = `medic_bench_scale_${Date.now().toString(36)}`;
  const url = `${PG_URL}?schema=${schema}`;
  const monitors = Array.from({ length: MONITORS }, (_, i) => `  - { name: m${i}, type: http, url: "${target}/m${i}", interval: ${INTERVAL_S}s, timeout: 5s, assert_status: 200 }`).join('\n');
  const file = path.join(dir, `scale-${workers}.yaml`);
  writeFileSync(file, `storage: { url: "${url}", pool_size: 10 }\nworkers: { concurrency: 500 }\nmonitors:\n${monitors}\n`);
  const ports = await Promise.all(Array.from({ length: workers }, () => freePort()));
  const procs = ports.map((port) => medic(['worker', '-c', file, '--metrics-port', String(port)]));
  const metrics = ports.map((port) => `http://127.0.0.1:${port}/metrics`);
  const client = new pg.Client({ connectionString: PG_URL });
  await client.connect();
  try {
    await Promise.all(ports.map((port) => waitHttp(`http://127.0.0.1:${port}/healthz`)));
    await new Promise((r) => setTimeout(r, WARMUP * 1000));
    const count = async () => Number((await client.query(`SELECT count(*) AS n FROM ${schema}.check_results`)).rows[0].n);
    const from = Date.now();
    const before = await count();
    const lag0 = await lagBuckets(metrics);
    const fenced0 = await fencedTotal(metrics);
    const cpu0 = procs.reduce((s, p) => s + cpuMs(p.pid!), 0);
    const t0 = performance.now();
    await new Promise((r) => setTimeout(r, SECONDS * 1000));
    const elapsed = (performance.now() - t0) / 1000;
    const cpu1 = procs.reduce((s, p) => s + cpuMs(p.pid!), 0);
    const lag1 = await lagBuckets(metrics);
    const fenced = (await fencedTotal(metrics)) - fenced0;
    const checks = (await count()) - before;
    const doubles = Number(
      (
        await client.query(
          `SELECT count(*) AS n FROM (SELECT started_at - lag(started_at) OVER (PARTITION BY monitor_id ORDER BY started_at) AS gap FROM ${schema}.check_results WHERE started_at >= $1) g WHERE gap < $2`,
          [from, (INTERVAL_S * 1000) / 2],
        )
      ).rows[0].n,
    );
    return { checksPerSec: checks / elapsed, cpuMsPer1000: ((cpu1 - cpu0) / checks) * 1000, lagP50: histogramQuantile(lag0, lag1, 0.5), lagP99: histogramQuantile(lag0, lag1, 0.99), doubles, fenced };
  } finally {
    for (const p of procs) p.kill('SIGTERM');
    await Promise.all(procs.map((p) => new Promise((r) => (p.exitCode !== null ? r(null) : p.once('exit', r)))));
    await client.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
    await client.end();
  }
}

const dir = mkdtempSync(path.join(tmpdir(), 'medic-bench-scale-'));
const target = createHttpServer((_req, res) => res.writeHead(200, { 'content-type': 'application/json' }).end('{"status":"ok"}'));
await new Promise<void>((r) => target.listen(0, '127.0.0.1', r));
const targetUrl = `http://127.0.0.1:${(target.address() as { port: number }).port}`;
const fmt = (x: number, d = 0) => x.toFixed(d);
try {
  console.log(`${MONITORS} monitors every ${INTERVAL_S}s (${fmt(MONITORS / INTERVAL_S)} checks/s wanted), ${SECONDS}s measured after ${WARMUP}s warm-up; medic ${fromSource ? 'from source (tsx)' : 'compiled'}`);
  for (const n of counts.length ? counts : [1, 2, 4]) {
    const load = loadavg().map((l) => l.toFixed(2)).join(' ');
    const r = await benchWorkers(n, targetUrl, dir);
    console.log(`  ${n} worker${n === 1 ? ' ' : 's'}  ${fmt(r.checksPerSec)} checks/s  ${fmt(r.cpuMsPer1000)} CPU ms/1k checks  lag p50 ${fmt(r.lagP50, 1)} ms p99 ${fmt(r.lagP99, 1)} ms  runs recorded twice ${r.doubles} (goal 0)  late results fenced ${r.fenced}  (load before: ${load})`);
  }
} finally {
  target.closeAllConnections();
  target.close();
}
