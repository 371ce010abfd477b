// Check-scheduler benchmark (issue 4): N http monitors at a 10 s interval against a loopback nginx
// serving a small JSON page, for a measured window after a warm-up; then the same rate of probes through
// Prometheus's blackbox_exporter. Reports checks/s, CPU ms per 1,000 checks (whole process: scheduler,
// checks, storage), peak RSS, scheduler lag p50/p99. Medic runs as `medic start` (build first: npm run build). Prints issue 14's goals for each size beside the figures.
// Run: npx tsx bench/checks.ts [monitors...]   (default 1000 10000; SECONDS=60 WARMUP=15)
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { freePort, waitHttp } from './lib/net.js';

const SECONDS = Number(process.env.SECONDS ?? 60);
// BLACKBOX=0 skips the reference (for profiling Medic alone; goals are judged only beside it).
const BLACKBOX = process.env.BLACKBOX !== '0';
const WARMUP = Number(process.env.WARMUP ?? 15);
// MEDIC_NODE_ARGS: extra node flags for the medic process, e.g. "--cpu-prof --cpu-prof-dir=/tmp/prof" (not allowed in NODE_OPTIONS).
const MEDIC_NODE_ARGS = (process.env.MEDIC_NODE_ARGS ?? '').split(' ').filter(Boolean);
const INTERVAL_S = 10;
const sizes = process.argv.slice(2).map(Number).filter((n) => n > 0);


async function startNginx(dir: string): Promise<{ url: string; proc: ChildProcess }> {
  const port = await freePort();
  writeFileSync(path.join(dir, 'health.json'), JSON.stringify({ status: 'ok', service: 'shop', version: '1.0.0' }));
  writeFileSync(
    path.join(dir, 'nginx.conf'),
    `daemon off; worker_processes 1; error_log ${dir}/nginx-error.log; pid ${dir}/nginx.pid;
events { worker_connections 16384; }
http { access_log off; client_body_temp_path ${dir}; proxy_temp_path ${dir}; fastcgi_temp_path ${dir}; uwsgi_temp_path ${dir}; scgi_temp_path ${dir};
  server { listen 127.0.0.1:${port}; keepalive_requests 100000; location / { root ${dir}; default_type application/json; } } }`,
  );
  const proc = spawn('nginx', ['-c', path.join(dir, 'nginx.conf'), '-p', dir], { stdio: 'ignore' });
  const url = `http://127.0.0.1:${port}/health.json`;
  await waitHttp(url);
  return { url, proc };
}

/** utime + stime of a process in ms, and its peak RSS in MB, from /proc. */
function procStats(pid: number): { cpuMs: number; peakRssMb: number } {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
  const ticks = Number(stat[11]) + Number(stat[12]);
  const hwm = /VmHWM:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1];
  return { cpuMs: (ticks * 1000) / 100, peakRssMb: Number(hwm) / 1024 };
}

/** Cumulative bucket counts of medic_scheduler_lag_seconds from /metrics. */
async function lagBuckets(metricsUrl: string): Promise<Map<number, number>> {
  const text = await (await fetch(metricsUrl)).text();
  const out = new Map<number, number>();
  for (const m of text.matchAll(/^medic_scheduler_lag_seconds_bucket\{le="([^"]+)"\} (\d+)/gm)) out.set(m[1] === '+Inf' ? Infinity : Number(m[1]), Number(m[2]));
  return out;
}

/** The quantile from the difference of two cumulative histograms, interpolated within its bucket (ms). */
function histogramQuantile(a: Map<number, number>, b: Map<number, number>, q: number): number {
  const bounds = [...b.keys()].sort((x, y) => x - y);
  const total = (b.get(Infinity) ?? 0) - (a.get(Infinity) ?? 0);
  const want = q * total;
  let prevBound = 0;
  let prevCount = 0;
  for (const le of bounds) {
    const count = (b.get(le) ?? 0) - (a.get(le) ?? 0);
    if (count >= want) {
      if (!Number.isFinite(le)) return prevBound * 1000;
      return (prevBound + ((le - prevBound) * (want - prevCount)) / Math.max(1, count - prevCount)) * 1000;
    }
    prevBound = le;
    prevCount = count;
  }
  return NaN;
}

/** `medic start` as users run it (compiled, one process: API, job runner, scheduler) with N monitors. */
async function benchMedic(n: number, target: string, dir: string) {
  const port = await freePort();
  const db = path.join(dir, `medic-${n}.db`);
  const monitors = Array.from({ length: n }, (_, i) => `  - { name: m${i}, type: http, url: "${target}?m=${i}", interval: ${INTERVAL_S}s, timeout: 5s, assert_status: 200, assert_json_path: "$.status" }`).join('\n');
  const file = path.join(dir, `medic-${n}.yaml`);
  writeFileSync(file, `server: { port: ${port}, host: 127.0.0.1 }\nstorage: { url: "sqlite://${db}" }\nworkers: { concurrency: 500 }\nmonitors:\n${monitors}\n`);
  const proc = spawn(process.execPath, [...MEDIC_NODE_ARGS, path.join(import.meta.dirname, '../bin/medic.js'), 'start', '-c', file], { stdio: 'ignore', env: { ...process.env, MEDIC_LOG_LEVEL: 'warn' } });
  const base = `http://127.0.0.1:${port}`;
  // Loading 10,000 monitors takes a while on a busy machine; a failed run must not leave medic behind.
  await waitHttp(`${base}/healthz`, 600_000).catch((err: unknown) => {
    proc.kill('SIGTERM');
    throw err;
  });
  await new Promise((r) => setTimeout(r, WARMUP * 1000));
  const sqlite = new Database(db, { readonly: true });
  const count = () => (sqlite.prepare('SELECT count(*) AS n FROM check_results').get() as { n: number }).n;
  const before = count();
  const lag0 = await lagBuckets(`${base}/metrics?name=medic_scheduler_lag_seconds`);
  const s0 = procStats(proc.pid!);
  const t0 = performance.now();
  await new Promise((r) => setTimeout(r, SECONDS * 1000));
  const elapsed = (performance.now() - t0) / 1000;
  const s1 = procStats(proc.pid!);
  const lag1 = await lagBuckets(`${base}/metrics?name=medic_scheduler_lag_seconds`);
  const checks = count() - before;
  // What a Prometheus scrape of everything costs the process at this size (measured after the window).
  const scrape0 = performance.now();
  const scrapeText = await (await fetch(`${base}/metrics`)).text();
  const scrapeMs = performance.now() - scrape0;
  const scrapeBytes = scrapeText.length;
  const series = scrapeText.split('\n').filter((l) => l !== '' && !l.startsWith('#')).length;
  const down = (sqlite.prepare("SELECT count(*) AS n FROM check_results WHERE status = 'down'").get() as { n: number }).n;
  sqlite.close();
  proc.kill('SIGTERM');
  await new Promise((r) => proc.once('exit', r));
  return { checksPerSec: checks / elapsed, cpuMsPer1000: ((s1.cpuMs - s0.cpuMs) / checks) * 1000, peakRssMb: s1.peakRssMb, lagP50: histogramQuantile(lag0, lag1, 0.5), lagP99: histogramQuantile(lag0, lag1, 0.99), down, scrapeMs, scrapeBytes, series };
}

async function benchBlackbox(n: number, target: string, dir: string) {
  const port = await freePort();
  writeFileSync(path.join(dir, 'blackbox.yml'), 'modules:\n  http_2xx:\n    prober: http\n    timeout: 5s\n    http: { preferred_ip_protocol: ip4 }\n');
  const proc = spawn('prometheus-blackbox-exporter', [`--config.file=${dir}/blackbox.yml`, `--web.listen-address=127.0.0.1:${port}`], { stdio: 'ignore' });
  const exporter = `http://127.0.0.1:${port}`;
  await waitHttp(`${exporter}/metrics`);
  const rate = n / INTERVAL_S;
  const drive = (seconds: number) =>
    new Promise<{ sent: number; failures: number; p50: number; p99: number }>((resolve) => {
      const load = spawn(process.execPath, ['--import', 'tsx', path.join(import.meta.dirname, 'load/blackbox-load.ts'), exporter, target, String(rate), String(seconds)], { stdio: ['ignore', 'pipe', 'inherit'] });
      let out = '';
      load.stdout.on('data', (d) => (out += d));
      load.on('exit', () => resolve(JSON.parse(out.trim().split('\n').at(-1)!)));
    });
  await drive(Math.min(WARMUP, 5));
  const s0 = procStats(proc.pid!);
  const t0 = performance.now();
  const r = await drive(SECONDS);
  const elapsed = (performance.now() - t0) / 1000;
  const s1 = procStats(proc.pid!);
  proc.kill('SIGTERM');
  return { checksPerSec: r.sent / elapsed, cpuMsPer1000: ((s1.cpuMs - s0.cpuMs) / r.sent) * 1000, peakRssMb: s1.peakRssMb, probeP50: r.p50, probeP99: r.p99, failures: r.failures };
}

/** Issue 14's goals for one size, each with the figure it was judged on (the ratio from this run's reference). */
function goals(n: number, m: Awaited<ReturnType<typeof benchMedic>>, blackboxCpuMsPer1000: number): string[] {
  const judge = (ok: boolean, what: string) => `${what}: ${ok ? 'met' : 'NOT met'}`;
  const ratio = m.cpuMsPer1000 / blackboxCpuMsPer1000;
  const out = [
    judge(m.cpuMsPer1000 <= 1000, `<= 1,000 CPU ms/1k checks (${fmt(m.cpuMsPer1000)})`),
    judge(ratio <= 0.8, `<= 0.8x blackbox_exporter's CPU (${ratio.toFixed(2)}x)`),
    judge(m.lagP99 < 100, `lag p99 < 100 ms (${fmt(m.lagP99, 1)})`),
    judge(m.scrapeMs < 200, `full scrape < 200 ms (${fmt(m.scrapeMs)})`),
  ];
  if (n >= 10_000) out.push(judge(m.peakRssMb < 300, `peak RSS < 300 MB (${fmt(m.peakRssMb)})`));
  return out;
}

const dir = mkdtempSync(path.join(tmpdir(), 'medic-bench-checks-'));
const nginx = await startNginx(dir);
const fmt = (x: number, d = 0) => x.toFixed(d);
try {
  for (const n of sizes.length ? sizes : [1000, 10_000]) {
    console.log(`\n${n} monitors every ${INTERVAL_S}s (${n / INTERVAL_S} checks/s wanted), ${SECONDS}s measured after ${WARMUP}s warm-up; load ${loadavg().map((l) => l.toFixed(2)).join(' ')}`);
    const m = await benchMedic(n, nginx.url, dir);
    console.log(`  medic     ${fmt(m.checksPerSec)} checks/s  ${fmt(m.cpuMsPer1000)} CPU ms/1k checks  peak RSS ${fmt(m.peakRssMb)} MB  lag p50 ${fmt(m.lagP50, 1)} ms p99 ${fmt(m.lagP99, 1)} ms  (${m.down} down); a full /metrics scrape: ${fmt(m.scrapeMs)} ms, ${fmt(m.scrapeBytes / 1048576, 1)} MB, ${m.series} series`);
    if (!BLACKBOX) continue;
    const b = await benchBlackbox(n, nginx.url, dir);
    console.log(`  blackbox  ${fmt(b.checksPerSec)} checks/s  ${fmt(b.cpuMsPer1000)} CPU ms/1k checks  peak RSS ${fmt(b.peakRssMb)} MB  probe p50 ${fmt(b.probeP50, 1)} ms p99 ${fmt(b.probeP99, 1)} ms  (${b.failures} failed)`);
    console.log(`  goals (issue 14): ${goals(n, m, b.cpuMsPer1000).join('; ')}`);
  }
} finally {
  nginx.proc.kill('SIGQUIT');
}
