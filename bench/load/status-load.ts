/**
 * Open-loop load for bench/status-page.ts, in a process of its own so that it does not share the
 * server's event loop: `tsx bench/load/status-load.ts <url> <requests per minute> <seconds>`. Requests
 * start on schedule whether or not earlier ones have answered (a slow server is not given a break), each
 * from another client address (X-Forwarded-For; the server trusts 127.0.0.1) and asking for gzip as a
 * browser does. Prints one JSON line: requests sent, answered, errors, and latency p50/p99/max in ms.
 */
import { performance } from 'node:perf_hooks';
import { Agent, request } from 'undici';

const [url, perMinute, seconds] = [process.argv[2]!, Number(process.argv[3]), Number(process.argv[4])];
const dispatcher = new Agent({ connections: 256, pipelining: 0 });
const times: number[] = [];
let errors = 0;
let sent = 0;

async function one(n: number): Promise<void> {
  const started = performance.now();
  try {
    const res = await request(url, { dispatcher, headers: { 'x-forwarded-for': `10.${(n >> 16) & 255}.${(n >> 8) & 255}.${n & 255}`, 'accept-encoding': 'gzip' } });
    // Read to the end, not kept: the load needs no copy of the bytes (nor to gunzip them).
    for await (const _chunk of res.body);
    if (res.statusCode !== 200) errors++;
    else times.push(performance.now() - started);
  } catch {
    errors++;
  }
}

const inflight = new Set<Promise<void>>();
const t0 = performance.now();
const total = Math.round((perMinute / 60) * seconds);
await new Promise<void>((done) => {
  const tick = setInterval(() => {
    // Every request due by now, at an even spacing of 60,000 / perMinute ms.
    const due = Math.min(total, Math.floor(((performance.now() - t0) / 60_000) * perMinute));
    while (sent < due) {
      const p = one(sent++);
      inflight.add(p);
      void p.finally(() => inflight.delete(p));
    }
    if (sent >= total) {
      clearInterval(tick);
      done();
    }
  }, 5);
});
await Promise.all(inflight);
await dispatcher.close();
times.sort((a, b) => a - b);
const q = (f: number) => times[Math.min(times.length - 1, Math.ceil(f * times.length) - 1)] ?? NaN;
console.log(JSON.stringify({ sent, answered: times.length, errors, seconds: (performance.now() - t0) / 1000, p50: q(0.5), p99: q(0.99), max: times.at(-1) ?? NaN }));
