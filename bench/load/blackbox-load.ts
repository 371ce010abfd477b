// Drives blackbox_exporter at a fixed rate: `rate` probes per second of `target` for `seconds`, spread
// evenly, over keep-alive connections (the exporter's own probe opens a new connection to the target).
// Prints one JSON line: probes sent, failures, and probe latency p50/p99 (ms).
import { Agent, request } from 'undici';

const [exporter, target, rateArg, secondsArg] = process.argv.slice(2);
const rate = Number(rateArg);
const seconds = Number(secondsArg);
const agent = new Agent({ connections: 256, pipelining: 1 });
const url = `${exporter}/probe?module=http_2xx&target=${encodeURIComponent(target!)}`;
const latencies: number[] = [];
let failures = 0;
let sent = 0;
const start = performance.now();
const inflight = new Set<Promise<void>>();

const probe = async () => {
  const t0 = performance.now();
  try {
    const res = await request(url, { dispatcher: agent });
    const body = await res.body.text();
    if (!/probe_success 1/.test(body)) failures++;
  } catch {
    failures++;
  }
  latencies.push(performance.now() - t0);
};

while (performance.now() - start < seconds * 1000) {
  const due = Math.floor(((performance.now() - start) / 1000) * rate);
  while (sent < due) {
    sent++;
    const p = probe();
    inflight.add(p);
    void p.finally(() => inflight.delete(p));
  }
  await new Promise((r) => setTimeout(r, 5));
}
await Promise.all(inflight);
latencies.sort((a, b) => a - b);
const q = (x: number) => latencies[Math.min(latencies.length - 1, Math.floor(x * latencies.length))] ?? 0;
process.stdout.write(`${JSON.stringify({ sent, failures, p50: q(0.5), p99: q(0.99) })}\n`);
await agent.close();
