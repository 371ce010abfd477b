import { sql } from 'kysely';
import { recordDeployment } from '../../src/diagnose/index.js';
import type { Core } from '../../src/runtime/core.js';
import { silentLogger } from '../../src/shared/logger.js';
import { toJson, type Db } from '../../src/store/index.js';
import { ManualJobRunner } from './automation.js';

/**
 * A small world for the command center, as the scheduler, the ingest endpoints and pipelines would
 * leave it, relative to `now`: monitors in each state with two windows of check results, two active
 * incidents from alerts (one of them P1 with a remediation waiting for approval) and a closed one,
 * deployments before and after them, and a flag switched off. The figures the tests expect are worked
 * out next to the data.
 */

const MIN = 60_000;

/** The config the world needs: services and dependencies, a flag, and a rule that waits for approval. */
export const COMMAND_CENTER_CONFIG = `
tracing: { trace_url: "http://127.0.0.1:16686/trace/{trace_id}" }
services:
  - { name: payment, depends_on: [db] }
  - { name: db }
  - { name: search }
  - { name: checkout }
flags:
  - { key: new_checkout_flow, service: checkout, enabled: true }
  - { key: dark_mode, description: "The dark theme for everyone", enabled: true }
remediation:
  - name: restart-payment
    alert: PaymentErrors
    action: { type: webhook, url: "http://127.0.0.1:9/never", require_approval: true, approval_timeout: 15m }
`;

interface MonitorSpec {
  name: string;
  service: string | null;
  status: string;
  enabled?: boolean;
  failingSince?: number;
}

export async function insertMonitor(db: Db, m: MonitorSpec, now: number): Promise<number> {
  const row = await db
    .insertInto('monitors')
    .values({
      name: m.name,
      service: m.service,
      type: 'http',
      config_hash: m.name,
      config: toJson({}),
      enabled: m.enabled === false ? 0 : 1,
      status: m.status,
      // A pending monitor has not run yet.
      last_run_at: m.status === 'pending' ? null : now - 30_000,
      created_at: now - 60 * MIN,
      updated_at: now,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  const id = Number(row.id);
  await db
    .insertInto('monitor_schedule')
    .values({ monitor_id: id, location: '*', next_run_at: now + MIN, status: m.status, failing_since: m.failingSince ?? null, last_run_at: m.status === 'pending' ? null : now - 30_000 })
    .execute();
  return id;
}

/** A failed run carries the assertion that failed and a trace, as the checks record them. */
export async function insertResults(db: Db, monitorId: number, runs: [at: number, status: 'up' | 'degraded' | 'down', durationMs: number, error?: string][]): Promise<void> {
  if (runs.length === 0) return;
  await db
    .insertInto('check_results')
    .values(
      runs.map(([at, status, ms, error]) => ({
        monitor_id: monitorId,
        started_at: at,
        duration_ms: ms,
        status,
        error: error ?? null,
        timings: toJson({ total_ms: ms }),
        details: toJson([{ name: 'status', pass: status !== 'down', expected: 200, actual: status === 'down' ? 503 : 200 }, { name: 'load time', pass: true, expected: '< 2000 ms', actual: ms }]),
        trace_id: status === 'down' ? `trace-${monitorId}-${at}` : null,
      })),
    )
    .execute();
}

export interface SeededWorld {
  monitors: Record<'checkoutApi' | 'checkoutPage' | 'search' | 'login' | 'old' | 'lonely', number>;
  incidents: { payment: number; search: number; closed: number };
  deployments: { paymentNew: number; paymentOld: number; db: number; searchAfter: number };
  attemptId: number;
}

/**
 * Seeds the world through the same paths production uses where there is one (alerts through the
 * webhook endpoint, the flag through PUT /api/flags, remediation through the job runner).
 */
export async function seedCommandCenter(core: Core, inject: (o: { method: 'POST' | 'PUT'; url: string; payload: object }) => Promise<{ statusCode: number; json(): unknown }>, now: number): Promise<SeededWorld> {
  const db = core.rt.store.db;
  const ago = (minutes: number) => now - minutes * MIN;

  const monitors = {
    checkoutApi: await insertMonitor(db, { name: 'Checkout API', service: 'checkout', status: 'down', failingSince: ago(3) }, now),
    checkoutPage: await insertMonitor(db, { name: 'Checkout page', service: 'checkout', status: 'up' }, now),
    search: await insertMonitor(db, { name: 'Search', service: 'search', status: 'degraded' }, now),
    login: await insertMonitor(db, { name: 'Login', service: 'auth', status: 'up' }, now),
    old: await insertMonitor(db, { name: 'Old', service: 'auth', status: 'down', enabled: false }, now),
    lonely: await insertMonitor(db, { name: 'Lonely', service: null, status: 'pending' }, now),
  };
  // Current window (the last 5 minutes): 12 runs, 3 failed; durations 20 … 1000 ms, p95 945 ms.
  await insertResults(db, monitors.checkoutApi, [
    [ago(4), 'down', 100, 'HTTP 500'],
    [ago(3), 'down', 200, 'HTTP 500'],
    [ago(2), 'up', 300],
    [ago(1), 'down', 400, 'expected status 200, got 503'],
  ]);
  await insertResults(db, monitors.checkoutPage, [[ago(4), 'up', 50], [ago(3), 'up', 50], [ago(2), 'up', 50], [ago(1), 'up', 50]]);
  await insertResults(db, monitors.search, [[ago(4), 'degraded', 900], [ago(2), 'degraded', 1000]]);
  await insertResults(db, monitors.login, [[ago(4), 'up', 20], [ago(2), 'up', 30]]);
  // The window before (10 to 5 minutes ago): 8 runs, 1 failed; durations 10 … 80 ms.
  await insertResults(db, monitors.checkoutApi, [[ago(9), 'up', 10], [ago(7), 'up', 20]]);
  await insertResults(db, monitors.checkoutPage, [[ago(9), 'up', 30], [ago(7), 'up', 40]]);
  await insertResults(db, monitors.search, [[ago(9), 'up', 50], [ago(7), 'up', 60]]);
  await insertResults(db, monitors.login, [[ago(9), 'down', 70, 'timeout'], [ago(6), 'up', 80]]);
  // Outside both windows: never counted.
  await insertResults(db, monitors.login, [[ago(11), 'down', 5000, 'old failure'], [ago(30), 'down', 5000]]);
  // The hourly counts the result writer keeps beside the results (uptime reads them).
  await sql`INSERT INTO check_rollups (monitor_id, hour, runs, up, degraded, duration_ms_sum)
    SELECT monitor_id, started_at - started_at % 3600000, count(*), sum(CASE WHEN status = 'up' THEN 1 ELSE 0 END),
      sum(CASE WHEN status = 'degraded' THEN 1 ELSE 0 END), sum(duration_ms) FROM check_results GROUP BY 1, 2`.execute(db);

  const alert = async (payload: object) => {
    const res = await inject({ method: 'POST', url: '/api/alerts/webhook', payload });
    if (res.statusCode >= 300) throw new Error(`alert refused: ${JSON.stringify(res.json())}`);
  };
  // Deployments first: correlation reads them when the incidents open.
  const deployments = {
    paymentOld: (await recordDeployment(db, { service: 'payment', version: 'v2.3.0', actor: 'ci', deployedAt: ago(180) }, now)).id,
    db: (await recordDeployment(db, { service: 'db', version: 'pg-15.4', actor: 'ci', deployedAt: ago(20) }, now)).id,
    paymentNew: (await recordDeployment(db, { service: 'payment', version: 'v2.3.1', commit: '3f2a9c1', actor: 'ci', deployedAt: ago(12) }, now)).id,
    searchAfter: 0,
  };
  await alert({ name: 'PaymentErrors', service: 'payment', severity: 'critical', description: 'error rate above 5%', started_at: new Date(ago(10)).toISOString() });
  await alert({ name: 'SearchSlow', service: 'search', severity: 'warning', started_at: new Date(ago(5)).toISOString() });
  deployments.searchAfter = (await recordDeployment(db, { service: 'search', version: 'v7', actor: 'ci', deployedAt: ago(1) }, now)).id;

  const closed = await db
    .insertInto('incidents')
    .values({ fingerprint: 'old', title: 'Old outage', service: 'payment', severity: 'P1', labels: '{}', status: 'closed', source: 'manual', started_at: ago(600), detected_at: ago(599), created_at: ago(599), updated_at: ago(500) })
    .returning('id')
    .executeTakeFirstOrThrow();

  const flag = await inject({ method: 'PUT', url: '/api/flags/new_checkout_flow', payload: { enabled: false, reason: 'checkout 500s' } });
  if (flag.statusCode !== 200) throw new Error(`flag change refused: ${JSON.stringify(flag.json())}`);

  await runJobs(core);
  const attempt = await db.selectFrom('remediation_attempts').select(['id', 'incident_id']).where('status', '=', 'awaiting_approval').executeTakeFirstOrThrow();
  const payment = Number(attempt.incident_id);
  const search = await db.selectFrom('incidents').select('id').where('alert_name', '=', 'SearchSlow').executeTakeFirstOrThrow();
  return { monitors, incidents: { payment, search: Number(search.id), closed: Number(closed.id) }, deployments, attemptId: Number(attempt.id) };
}

/** Runs the jobs due now (the remediation that asks for approval) through a real JobRunner. */
async function runJobs(core: Core): Promise<void> {
  const runner = new ManualJobRunner({ store: core.rt.store, queue: core.queue, handlers: core.handlers, clock: core.rt.clock, logger: silentLogger, leaseMs: 60_000, concurrency: 4, pollMs: 3_600_000, owner: 'seed' });
  try {
    for (let i = 0; i < 20 && (await runner.tick()) > 0; i++) await runner.idle();
    await runner.idle();
  } finally {
    await runner.stop(10_000);
  }
}
