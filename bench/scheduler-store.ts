// The scheduler's database work alone: syncing 10,000 monitors, then claiming and writing back batches
// of runs (what one tick and one flush cost). Run: npx tsx bench/scheduler-store.ts [storage url]
import { loadConfigText } from '../src/config/index.js';
import { syncMonitors } from '../src/detect/monitors/sync.js';
import { claimDue, writeFinished, type FinishedRun } from '../src/detect/scheduler/schedule-store.js';
import { Store } from '../src/store/index.js';
const n = 10000;
const url = process.argv[2] ?? `sqlite:///tmp/db-${Date.now()}.db`;
const monitors = Array.from({ length: n }, (_, i) => `  - { name: m${i}, type: http, url: "http://127.0.0.1:1/?m=${i}", interval: 10s }`).join('\n');
const loaded = loadConfigText(`monitors:\n${monitors}\n`);
const store = await Store.open({ url });
let t = performance.now();
await store.transaction((trx) => syncMonitors(trx, store.dialect, loaded.config.monitors, loaded.redactor, 0));
console.log('sync', (performance.now() - t).toFixed(0), 'ms');
for (const batch of [100, 500, 2000]) {
  t = performance.now();
  const claimed = await claimDue(store.db, store.dialect, { owner: 'w', locations: ['*', 'default'], now: 20_000, lookaheadMs: 1000, leaseMs: 5000, limit: batch });
  const tc = performance.now() - t;
  const runs: FinishedRun[] = claimed.map((c) => ({ scheduleId: c.scheduleId, leaseToken: c.leaseToken, monitorId: c.monitorId, location: c.location, startedAt: 20_000, durationMs: 1.5, status: 'up', error: null, timings: '{"connect_ms":0.2,"first_byte_ms":1,"total_ms":1.5}', details: '[{"name":"status","pass":true,"expected":"200","actual":"200"}]', traceId: '0af7651916cd43dd8448eb211c80319c', streak: { status: 'up', consecutiveFailures: 0, consecutiveSuccesses: 1, failingSince: null }, nextRunAt: 30_000, monitorStatus: 'up' }));
  t = performance.now();
  await writeFinished(store.db, store.dialect, 'w', runs);
  console.log(`batch ${claimed.length}: claim ${tc.toFixed(1)} ms, write ${(performance.now() - t).toFixed(1)} ms`);
}
await store.close();
