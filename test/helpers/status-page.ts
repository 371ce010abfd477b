import { ingestAlerts } from '../../src/incidents/index.js';
import type { Core } from '../../src/runtime/core.js';
import { insertInChunks, type Db } from '../../src/store/index.js';
import { insertMonitor } from './command-center.js';
import { alert } from './incidents.js';

/**
 * A shop with a status page: three public services (one degraded now, one with a bad day last week),
 * an internal database that is not listed, 90 days of hourly roll-ups, and an active incident on
 * checkout. Used by the route tests, the privacy test and the page in Chromium.
 */
export const STATUS_PAGE_CONFIG = `
services:
  - { name: storefront }
  - { name: checkout, depends_on: [payment-service] }
  - { name: payment-service }
  - { name: internal-db }
status_page:
  title: "Shop status"
  services: [storefront, checkout, payment-service]
  history: 90d
`;

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

/** 24 hourly roll-ups a day for `days` days up to now: 60 runs an hour, all passing unless `failed(day)` says how many failed that day. */
export async function insertRollups(db: Db, monitorId: number, now: number, days: number, failed: (daysAgo: number) => number = () => 0): Promise<void> {
  const today = now - (now % DAY);
  const rows = [];
  for (let d = days - 1; d >= 0; d--) {
    const bad = failed(d);
    for (let h = 0; h < 24; h++) {
      const hour = today - d * DAY + h * HOUR;
      if (hour > now) break;
      // The day's failures fall in its first hour.
      rows.push({ monitor_id: monitorId, hour, runs: 60, up: 60 - (h === 0 ? Math.min(60, bad) : 0), degraded: 0, duration_ms_sum: 60 * 120 });
    }
  }
  await insertInChunks({ maxParameters: 900 }, rows, (chunk) => db.insertInto('check_rollups').values(chunk).execute());
}

export interface StatusWorld {
  /** The active P3 incident on checkout (slow, not down). */
  checkoutIncident: number;
  /** An incident on the unlisted internal-db. */
  internalIncident: number;
}

export async function seedStatusWorld(core: Core, now: number): Promise<StatusWorld> {
  const db = core.rt.store.db;
  const monitors = [
    { name: 'Storefront home', service: 'storefront', status: 'up', failed: () => 0 },
    // Five days ago, 30 of checkout's 1,440 runs failed: 97.91%.
    { name: 'Checkout API', service: 'checkout', status: 'degraded', failed: (d: number) => (d === 5 ? 30 : 0) },
    { name: 'Payment API', service: 'payment-service', status: 'up', failed: () => 0 },
    { name: 'DB probe', service: 'internal-db', status: 'down', failed: () => 60 },
  ];
  for (const m of monitors) await insertRollups(db, await insertMonitor(db, { name: m.name, service: m.service, status: m.status }, now), now, 90, m.failed);
  const [checkout] = await ingestAlerts(core.incidents, [alert({ name: 'CheckoutLatency', service: 'checkout', severity: 'P3', startsAt: now - 20 * 60_000, title: 'Checkout p95 above 2s' })], 'alertmanager');
  const [internal] = await ingestAlerts(core.incidents, [alert({ name: 'DbReplicaLag', service: 'internal-db', severity: 'P1', startsAt: now - 5 * 60_000, title: 'Replica lag on db-7' })], 'alertmanager');
  return { checkoutIncident: checkout!.incidentId!, internalIncident: internal!.incidentId! };
}
