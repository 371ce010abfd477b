import type { ServerResponse } from 'node:http';
import { Registry } from 'prom-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Scheduler } from '../../../src/detect/scheduler/index.js';
import { claimDue, renewLeases, writeFinished, type ClaimedRun, type FinishedRun } from '../../../src/detect/scheduler/schedule-store.js';
import { startMonitoring } from '../../../src/runtime/monitoring.js';
import { openHarness, type AutomationHarness } from '../../helpers/automation.js';
import { json, startHttpTarget, type HttpTarget } from '../../helpers/http-target.js';
import { ENGINES } from '../../helpers/stores.js';

/**
 * Two workers and one monitor, with a manual clock. Worker A claims the run, its lease expires while
 * its check is still on its way, worker B claims the run again and records it; then A's late result
 * arrives. Exactly one result may be stored — B's — and A counts what it dropped.
 */
describe.each(ENGINES)('lease fencing on %s', (engine) => {
  let target: HttpTarget;
  let h: AutomationHarness;
  /** The first request to the target waits here until the test answers it. */
  let held: ServerResponse | undefined;
  let heldArrived: () => void = () => {};

  beforeAll(async () => {
    target = await startHttpTarget({
      '/health': (_req, res) => {
        if (target.seen('/health').length === 1) {
          held = res;
          heldArrived();
          return;
        }
        json(res, 200, { ok: true });
      },
    });
    h = await openHarness(
      engine,
      `
monitors:
  - { name: api, type: http, url: "${target.url('/health')}", interval: 30s, timeout: 20s, assert_status: 200 }
workers: { lease: 5s }
`,
    );
    // Syncs the monitor into its schedule row; the workers below are made by hand.
    await (await startMonitoring(h.core, { start: false, owner: 'sync' })).stop();
  });
  afterAll(async () => {
    held?.destroy();
    await h?.close();
    await target?.close();
  });

  const db = () => h.core.rt.store.db;
  const worker = (owner: string, metrics: Registry) => {
    const { rt, incidents } = h.core;
    return new Scheduler(
      { store: rt.store, clock: rt.clock, logger: rt.logger, metrics, incidents, redactor: rt.loaded.redactor, monitors: () => new Map(rt.loaded.config.monitors.map((m) => [m.name, m])), retentionMs: 86_400_000 },
      { owner, leaseMs: 5_000 },
    );
  };
  const fencedCount = async (r: Registry) => (await r.getSingleMetric('medic_check_results_fenced_total')!.get()).values[0]?.value ?? 0;
  const results = () => db().selectFrom('check_results').select(['started_at', 'status']).execute();

  it('drops the late result of a worker whose lease passed to another, and counts it', async () => {
    const [metricsA, metricsB] = [new Registry(), new Registry()];
    const [a, b] = [worker('worker-a', metricsA), worker('worker-b', metricsB)];
    const { next_run_at } = await db().selectFrom('monitor_schedule').select('next_run_at').executeTakeFirstOrThrow();
    h.clock.set(Number(next_run_at));

    const arrived = new Promise<void>((r) => (heldArrived = r));
    const lateA = a.runDue();
    await arrived; // A holds the claim and its check is in flight
    h.clock.advance(5_001); // … and its lease expires
    expect(await b.runDue()).toBe(1);
    expect(await results()).toHaveLength(1);
    const afterB = await db().selectFrom('monitor_schedule').selectAll().executeTakeFirstOrThrow();

    json(held!, 200, { ok: true }); // A's check finally answers
    expect(await lateA).toBe(1);
    const stored = await results();
    expect(stored).toHaveLength(1);
    expect(Number(stored[0]!.started_at)).toBe(Number(next_run_at) + 5_001);
    expect(await fencedCount(metricsA)).toBe(1);
    expect(await fencedCount(metricsB)).toBe(0);
    // A wrote nothing else either: B's schedule state and the rollup stand as B left them.
    expect(await db().selectFrom('monitor_schedule').selectAll().executeTakeFirstOrThrow()).toEqual(afterB);
    const rollups = await db().selectFrom('check_rollups').select('runs').execute();
    expect(rollups.map((r) => Number(r.runs))).toEqual([1]);
    expect(await metricsA.metrics()).toMatch(/^medic_check_results_fenced_total 1$/m);
  });

  it('fences a claim by its token, even against the same owner claiming again', async () => {
    const { store } = h.core.rt;
    const { next_run_at } = await db().selectFrom('monitor_schedule').select('next_run_at').executeTakeFirstOrThrow();
    const now = Number(next_run_at);
    h.clock.set(now);
    const claim = (at: number) => claimDue(store.db, store.dialect, { owner: 'w', locations: ['*', 'default'], now: at, lookaheadMs: 0, leaseMs: 5_000, limit: 10 });
    const finished = (run: ClaimedRun, startedAt: number): FinishedRun => ({
      scheduleId: run.scheduleId, leaseToken: run.leaseToken, monitorId: run.monitorId, location: run.location, startedAt, durationMs: 1, status: 'up', error: null,
      timings: '{}', details: '[]', traceId: null, streak: run.streak, nextRunAt: startedAt + 30_000, monitorStatus: 'up',
    });
    const before = (await results()).length;
    const [first] = await claim(now);
    const [second] = await claim(now + 5_001); // the same worker, after its own lease lapsed
    expect(second!.leaseToken).not.toBe(first!.leaseToken);
    // Both runs in one batch (a flush that waited out an outage): only the live claim's is written.
    expect(await writeFinished(store.db, store.dialect, 'w', [finished(first!, now), finished(second!, now + 5_001)])).toEqual({ recorded: 1, fenced: 1 });
    // Written once: the same batch again finds no claim to write under.
    expect(await writeFinished(store.db, store.dialect, 'w', [finished(second!, now + 5_001)])).toEqual({ recorded: 0, fenced: 1 });
    const stored = await results();
    expect(stored).toHaveLength(before + 1);
    expect(stored.some((r) => Number(r.started_at) === now)).toBe(false);
  });
  it('renews only the leases that would end before the given time', async () => {
    const { store } = h.core.rt;
    const { next_run_at } = await db().selectFrom('monitor_schedule').select('next_run_at').executeTakeFirstOrThrow();
    const now = Number(next_run_at) + 60_000;
    const lease = () => db().selectFrom('monitor_schedule').select(['lease_owner', 'lease_until']).executeTakeFirstOrThrow();
    expect(await claimDue(store.db, store.dialect, { owner: 'r', locations: ['*', 'default'], now, lookaheadMs: 0, leaseMs: 5_000, limit: 10 })).toHaveLength(1);
    // A fresh lease (until now + 5 s) outlasts "before now + 4 s": left as it is.
    expect(await renewLeases(store.db, 'r', now + 1_000 + 5_000, now + 4_000)).toBe(0);
    expect(Number((await lease()).lease_until)).toBe(now + 5_000);
    // Later, it would end before the bound: renewed. Without a bound every lease of the owner is.
    expect(await renewLeases(store.db, 'r', now + 2_000 + 5_000, now + 6_000)).toBe(1);
    expect(Number((await lease()).lease_until)).toBe(now + 7_000);
    expect(await renewLeases(store.db, 'r', now + 8_000)).toBe(1);
    expect(await renewLeases(store.db, 'other', now + 9_000)).toBe(0);
    expect(await lease()).toMatchObject({ lease_owner: 'r' });
    expect(Number((await lease()).lease_until)).toBe(now + 8_000);
  });
});
