import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getTimeline } from '../../../src/incidents/index.js';
import { startMonitoring, type Monitoring } from '../../../src/runtime/monitoring.js';
import { openHarness, type AutomationHarness } from '../../helpers/automation.js';
import { json, startHttpTarget, type HttpTarget } from '../../helpers/http-target.js';
import { ENGINES } from '../../helpers/stores.js';

/**
 * The scheduler over a real database and a real HTTP target, driven with a manual clock: each step
 * sets the clock to the next due run and runs what is due, so thresholds and re-checks are exact.
 */
describe.each(ENGINES)('scheduler on %s', (engine) => {
  let target: HttpTarget;
  let healthy = true;
  let h: AutomationHarness;
  let m: Monitoring;

  beforeAll(async () => {
    target = await startHttpTarget({ '/health': (_req, res) => json(res, healthy ? 200 : 503, { ok: healthy }) });
    h = await openHarness(
      engine,
      `
services: [{ name: shop }]
monitors:
  - name: shop health
    type: http
    service: shop
    url: ${target.url('/health')}
    interval: 30s
    retry_interval: 5s
    failure_threshold: 2
    severity: P1
    labels: { team: web }
`,
    );
    m = await startMonitoring(h.core, { start: false, owner: 'w1' });
  });
  afterAll(async () => {
    await m?.stop();
    await h?.close();
    await target?.close();
  });

  const db = () => h.core.rt.store.db;
  const schedule = () => db().selectFrom('monitor_schedule').selectAll().executeTakeFirstOrThrow();
  /** Moves the clock to the next due run and runs it. */
  async function nextRun(): Promise<number> {
    const { next_run_at } = await schedule();
    h.clock.set(Number(next_run_at));
    expect(await m.scheduler.runDue()).toBe(1);
    return Number(next_run_at);
  }
  const incidents = () => db().selectFrom('incidents').selectAll().execute();

  it('spreads the first run within the interval and marks the monitor up', async () => {
    const { next_run_at } = await schedule();
    expect(Number(next_run_at) - h.clock.now()).toBeGreaterThanOrEqual(0);
    expect(Number(next_run_at) - h.clock.now()).toBeLessThan(30_000);
    expect(await m.scheduler.runDue()).toBe(0);
    const at = await nextRun();
    expect(Number((await schedule()).next_run_at)).toBe(at + 30_000);
    expect(await db().selectFrom('monitors').select('status').executeTakeFirstOrThrow()).toEqual({ status: 'up' });
  });

  it('re-checks a first failure after retry_interval, and a blip opens nothing', async () => {
    healthy = false;
    const at = await nextRun();
    expect(Number((await schedule()).next_run_at)).toBe(at + 5_000);
    healthy = true;
    await nextRun();
    expect(await incidents()).toHaveLength(0);
    const results = await db().selectFrom('check_results').select(['status', 'trace_id']).orderBy('id').execute();
    expect(results.map((r) => r.status)).toEqual(['up', 'down', 'up']);
    expect(results.every((r) => /^[0-9a-f]{32}$/.test(r.trace_id!))).toBe(true);
  });

  it('opens one incident at the threshold, started at the first failing run and detected at the run that met it', async () => {
    healthy = false;
    const first = await nextRun();
    expect(await incidents()).toHaveLength(0);
    const second = await nextRun();
    expect(second).toBe(first + 5_000);
    const [incident] = await incidents();
    expect(incident).toMatchObject({ status: 'open', severity: 'P1', service: 'shop', alert_name: 'shop health', started_at: first, detected_at: second });
    expect(JSON.parse(incident!.labels)).toMatchObject({ alertname: 'shop health', monitor: 'shop health', service: 'shop', alert_type: 'availability', severity: 'P1', team: 'web' });
    expect(await db().selectFrom('monitors').select(['status', 'incident_id']).executeTakeFirstOrThrow()).toEqual({ status: 'down', incident_id: incident!.id });
    // Still failing: the same incident, no new one.
    await nextRun();
    await nextRun();
    expect(await incidents()).toHaveLength(1);
  });

  it('recovery adds check_recovered and resolves the incident', async () => {
    healthy = true;
    const at = await nextRun();
    const [incident] = await incidents();
    expect(incident).toMatchObject({ status: 'resolved', resolved_at: at });
    const types = (await getTimeline(db(), incident!.id)).map((e) => e.type);
    expect(types).toEqual(expect.arrayContaining(['opened', 'alert_fired', 'check_recovered', 'resolved']));
    expect(types.indexOf('check_recovered')).toBeLessThan(types.indexOf('resolved'));
    expect(await db().selectFrom('monitors').select(['status', 'incident_id']).executeTakeFirstOrThrow()).toEqual({ status: 'up', incident_id: null });
  });

  it('keeps hourly rollups in step with the results', async () => {
    const results = await db().selectFrom('check_results').select(['status']).execute();
    const rollups = await db().selectFrom('check_rollups').selectAll().execute();
    const sum = (k: 'runs' | 'up' | 'degraded') => rollups.reduce((a, r) => a + Number(r[k]), 0);
    expect(sum('runs')).toBe(results.length);
    expect(sum('up')).toBe(results.filter((r) => r.status === 'up').length);
  });

  it('does not run a monitor another worker holds, and takes it over once the lease expires', async () => {
    const { next_run_at } = await schedule();
    h.clock.set(Number(next_run_at));
    await db().updateTable('monitor_schedule').set({ lease_owner: 'w2', lease_until: h.clock.now() + 5_000 }).execute();
    expect(await m.scheduler.runDue()).toBe(0);
    h.clock.advance(5_001);
    expect(await m.scheduler.runDue()).toBe(1);
    expect(await schedule()).toMatchObject({ lease_owner: null, lease_until: null });
  });
});
