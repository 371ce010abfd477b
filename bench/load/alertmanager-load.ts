// Load generator for bench/ingest.ts, run as a separate process so it does not share Medic's CPU
// accounting or event loop. Posts Alertmanager v4 payloads of `batch` alerts each, over `connections`
// keep-alive connections, and prints one JSON line with throughput and latency percentiles.
import { Pool } from 'undici';

const [url, token, totalArg, batchArg, connArg, fpArg, servicesArg] = process.argv.slice(2);
const total = Number(totalArg);
const batch = Number(batchArg);
const connections = Number(connArg);
const fingerprints = Number(fpArg);
const services = Number(servicesArg);
const target = new URL(url!);
const pool = new Pool(target.origin, { connections, pipelining: 1 });

let sent = 0;
let errors = 0;
const latencies: number[] = [];
const startsAt = new Date(Date.now() - 60_000).toISOString();

function payload(seq: number): string {
  const alerts = [];
  for (let i = 0; i < batch; i++) {
    const n = (seq * batch + i) % fingerprints;
    const service = `service-${n % services}`;
    alerts.push({
      status: 'firing',
      labels: { alertname: `Alert${n}`, service, severity: n % 4 === 0 ? 'critical' : 'warning' },
      annotations: { summary: `alert ${n} on ${service}` },
      startsAt,
      endsAt: '0001-01-01T00:00:00Z',
      generatorURL: 'http://prometheus.local/graph',
      fingerprint: `fp${n.toString(16).padStart(12, '0')}`,
    });
  }
  return JSON.stringify({ receiver: 'medic', status: 'firing', alerts, groupLabels: {}, commonLabels: {}, commonAnnotations: {}, externalURL: 'http://am', version: '4', groupKey: `{}:{seq="${seq}"}`, truncatedAlerts: 0 });
}

const requests = Math.ceil(total / batch);
let next = 0;
async function worker(): Promise<void> {
  while (next < requests) {
    const seq = next++;
    const body = payload(seq);
    const t0 = performance.now();
    const res = await pool.request({ path: target.pathname, method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` }, body });
    await res.body.text();
    latencies.push(performance.now() - t0);
    if (res.statusCode !== 200) errors++;
    sent += batch;
  }
}

const started = performance.now();
await Promise.all(Array.from({ length: connections }, worker));
const elapsed = (performance.now() - started) / 1000;
latencies.sort((a, b) => a - b);
const q = (p: number) => latencies[Math.min(latencies.length - 1, Math.floor(p * latencies.length))]!;
console.log(JSON.stringify({ alerts: sent, requests: latencies.length, errors, seconds: elapsed, alertsPerSecond: sent / elapsed, p50: q(0.5), p99: q(0.99), max: latencies.at(-1) }));
await pool.close();
