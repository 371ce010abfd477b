// OFREP evaluation benchmark (issue 6): single-flag evaluations per second and latency on loopback, with
// wrk (Debian's `wrk`) as the load generator in a second process, at 8 and 32 connections, against a
// flag with a 25 % rollout and a targeting rule, token auth on (X-API-Key). In the same run, a bare
// Fastify route that returns a constant object, sent the same requests: the floor of this stack.
// Goal (issue 14): Medic ≥ 85 % of the floor's throughput at 8 and at 32 connections, and p99 < 5 ms at 8.
// Each figure is the median of ROUNDS runs, floor and Medic alternating, so that a burst of other work on
// a shared machine does not decide the comparison.
// Run: npx tsx bench/flags.ts        (DURATION=10 seconds per run, WARMUP=3, ROUNDS=3)
import { execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import path from 'node:path';
import Fastify from 'fastify';
import { loadConfigText } from '../src/config/index.js';
import { startAllInOne } from '../src/runtime/all-in-one.js';
import { openRuntime } from '../src/runtime/bootstrap.js';
import { silentLogger } from '../src/shared/logger.js';
import { createToken } from '../src/store/index.js';

const DURATION = Number(process.env.DURATION ?? 10);
const WARMUP = Number(process.env.WARMUP ?? 3);
const ROUNDS = Number(process.env.ROUNDS ?? 3);
const CONNECTIONS = [8, 32];
const SCRIPT = path.join(import.meta.dirname, 'load/ofrep.lua');

interface WrkResult {
  requestsPerSecond: number;
  /** CPU time the server (this process) spent per request: unlike throughput, hardly moved by other load. */
  cpuUsPerRequest: number;
  p50ms: number;
  p99ms: number;
  errors: number;
}

function parseLatency(text: string | undefined): number {
  const m = /([\d.]+)(us|ms|s)/.exec(text ?? '');
  if (!m) return NaN;
  const v = Number(m[1]);
  return m[2] === 'us' ? v / 1000 : m[2] === 's' ? v * 1000 : v;
}

/** Runs wrk in its own process (one thread: on two cores the server needs the other one). */
async function wrk(url: string, connections: number, seconds: number, token: string): Promise<WrkResult> {
  const child = spawn('wrk', ['-t1', `-c${connections}`, `-d${seconds}s`, '--latency', '-s', SCRIPT, url], { env: { ...process.env, MEDIC_TOKEN: token }, stdio: ['ignore', 'pipe', 'inherit'] });
  let out = '';
  child.stdout.on('data', (d) => (out += d));
  const cpu0 = process.cpuUsage();
  const code = await new Promise((r) => child.on('exit', r));
  const cpu = process.cpuUsage(cpu0);
  if (code !== 0) throw new Error(`wrk exited ${code}:\n${out}`);
  const errors = Number(/Non-2xx or 3xx responses: (\d+)/.exec(out)?.[1] ?? 0) + Number(/Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)/.exec(out)?.slice(1).reduce((a, b) => a + Number(b), 0) ?? 0);
  const requests = Number(/(\d+) requests in/.exec(out)?.[1]);
  return {
    requestsPerSecond: Number(/Requests\/sec:\s+([\d.]+)/.exec(out)?.[1]),
    cpuUsPerRequest: (cpu.user + cpu.system) / requests,
    p50ms: parseLatency(/\n\s+50%\s+(\S+)/.exec(out)?.[1]),
    p99ms: parseLatency(/\n\s+99%\s+(\S+)/.exec(out)?.[1]),
    errors,
  };
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;

/** Median requests/s, p50 and p99 over ROUNDS runs of each target, alternating which goes first. */
async function compare(floorUrl: string, medicUrl: string, connections: number, token: string): Promise<{ floor: WrkResult; medic: WrkResult }> {
  const runs: { floor: WrkResult[]; medic: WrkResult[] } = { floor: [], medic: [] };
  for (let round = 0; round < ROUNDS; round++) {
    const order = round % 2 === 0 ? (['floor', 'medic'] as const) : (['medic', 'floor'] as const);
    for (const which of order) {
      const url = which === 'floor' ? floorUrl : medicUrl;
      if (round === 0) await wrk(url, connections, WARMUP, token);
      runs[which].push(await wrk(url, connections, DURATION, token));
    }
  }
  const summarize = (list: WrkResult[]): WrkResult => ({
    requestsPerSecond: median(list.map((r) => r.requestsPerSecond)),
    cpuUsPerRequest: median(list.map((r) => r.cpuUsPerRequest)),
    p50ms: median(list.map((r) => r.p50ms)),
    p99ms: median(list.map((r) => r.p99ms)),
    errors: list.reduce((n, r) => n + r.errors, 0),
  });
  return { floor: summarize(runs.floor), medic: summarize(runs.medic) };
}

try {
  execFileSync('wrk', ['--version'], { stdio: 'ignore' });
} catch (err) {
  // wrk --version exits 1 after printing; only a missing binary is a problem.
  if ((err as NodeJS.ErrnoException).code === 'ENOENT') {
    console.error('wrk is not installed: apt-get install -y wrk');
    process.exit(2);
  }
}

const dir = mkdtempSync(path.join(tmpdir(), 'medic-bench-flags-'));
const loaded = loadConfigText(
  `server: { port: 0, host: 127.0.0.1 }
storage: { url: "sqlite://${dir}/medic.db" }
flags:
  - { key: new_checkout_flow, rollout: 25%, service: checkout, rules: [{ when: 'plan == "pro" and country in [US, CA]' }] }
`,
  { env: {} },
);
const rt = await openRuntime(loaded, { logger: silentLogger, applyConfig: true });
const { token } = await createToken(rt.store.db, { name: 'bench', role: 'flags', source: 'cli' }, Date.now());
const medic = await startAllInOne(rt, { port: 0, host: '127.0.0.1' });
const medicUrl = `${medic.url}/ofrep/v1/evaluate/flags/new_checkout_flow`;

// The floor: the same stack (Fastify 5, JSON body parsing) with nothing of Medic's in the way.
const floor = Fastify({ logger: false });
const constant = { key: 'new_checkout_flow', value: true, reason: 'SPLIT', variant: 'on', metadata: { version: 1 } };
floor.post('/floor', async () => constant);
const floorUrl = `${await floor.listen({ port: 0, host: '127.0.0.1' })}/floor`;

const sample = await fetch(medicUrl, { method: 'POST', headers: { 'x-api-key': token, 'content-type': 'application/json' }, body: JSON.stringify({ context: { targetingKey: 'user-3', plan: 'pro', country: 'US' } }) });
if (sample.status !== 200) throw new Error(`Medic answered ${sample.status}: ${await sample.text()}`);
const unauthorized = await fetch(medicUrl, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' });
if (unauthorized.status !== 401) throw new Error(`auth is off? ${unauthorized.status}`);

console.log(`node ${process.version}, ${execFileSync('nproc').toString().trim()} cores, load average ${loadavg().map((l) => l.toFixed(2)).join(' ')} before; wrk -t1, ${WARMUP}s warm-up, then the median of ${ROUNDS} runs of ${DURATION}s`);
console.log(`sample: ${await sample.text()}`);

const rows: Record<string, unknown>[] = [];
for (const connections of CONNECTIONS) {
  const { floor: f, medic: m } = await compare(floorUrl, medicUrl, connections, token);
  rows.push({
    connections,
    floorRps: Math.round(f.requestsPerSecond),
    medicRps: Math.round(m.requestsPerSecond),
    medicShareOfFloor: `${Math.round((m.requestsPerSecond / f.requestsPerSecond) * 100)}%`,
    floorCpuUs: Math.round(f.cpuUsPerRequest),
    medicCpuUs: Math.round(m.cpuUsPerRequest),
    floorP50ms: f.p50ms,
    floorP99ms: f.p99ms,
    medicP50ms: m.p50ms,
    medicP99ms: m.p99ms,
    errors: f.errors + m.errors,
  });
}
console.table(rows);
const at8 = rows.find((r) => r.connections === 8)!;
console.log(`goal: ≥ 85 % of the floor (${rows.map((r) => `${r.connections} conns: ${r.medicShareOfFloor}`).join(', ')}); p99 < 5 ms at 8 connections (${at8.medicP99ms} ms)`);
console.log(`load average ${loadavg().map((l) => l.toFixed(2)).join(' ')} after`);
console.log(JSON.stringify(rows));

await floor.close();
await medic.stop();
rmSync(dir, { recursive: true, force: true });
