import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startMonitoring, type Monitoring } from '../../src/runtime/monitoring.js';
import { openTestApp, type TestApp } from '../helpers/app.js';
import { json, startHttpTarget, type HttpTarget } from '../helpers/http-target.js';
import { ENGINES } from '../helpers/stores.js';

/** GET /api/monitors[/:id[/results]] and heartbeat pings, over runs the real scheduler made. */
describe.each(ENGINES)('monitors API on %s', (engine) => {
  let target: HttpTarget;
  let t: TestApp;
  let m: Monitoring;
  let healthy = true;

  beforeAll(async () => {
    target = await startHttpTarget({ '/': (_req, res) => json(res, healthy ? 200 : 500, { ok: healthy }) });
    t = await openTestApp({
      engine,
      config: `
tracing: { trace_url: "http://jaeger.local/trace/{trace_id}" }
monitors:
  - { name: web, type: http, service: shop, url: "${target.url('/')}", interval: 1m, failure_threshold: 1 }
  - { name: nightly-backup, type: heartbeat, service: backup, interval: 1h, grace: 10m, token: hb-token-0123456789abcdef }
`,
    });
    m = await startMonitoring(t.core, { start: false });
    for (let i = 0; i < 5; i++) {
      healthy = i !== 3;
      t.clock.advance(60_000);
      await m.scheduler.runDue();
    }
  });
  afterAll(async () => {
    await m?.stop();
    await t?.close();
    await target?.close();
  });

  it('lists monitors with status, the latest run, uptime and latency, trouble first', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/api/monitors', headers: t.as('viewer') });
    expect(res.statusCode).toBe(200);
    const body = res.json<{ monitors: { name: string; status: string; uptime: Record<string, number | null>; latency: { p50: number | null }; last_result: { status: string } | null }[]; total: number }>();
    expect(body.total).toBe(2);
    const web = body.monitors.find((x) => x.name === 'web')!;
    expect(web.status).toBe('up');
    expect(web.last_result?.status).toBe('up');
    expect(web.uptime['24h']).toBeCloseTo(4 / 5);
    expect(web.uptime['30d']).toBeCloseTo(4 / 5);
    expect(web.latency.p50).toBeGreaterThan(0);
  });

  it('returns one monitor and its results with the failing assertion and a trace link', async () => {
    const list = (await t.app.inject({ method: 'GET', url: '/api/monitors?service=shop', headers: t.as('viewer') })).json<{ monitors: { id: number }[] }>();
    const id = list.monitors[0]!.id;
    expect((await t.app.inject({ method: 'GET', url: `/api/monitors/${id}`, headers: t.as('viewer') })).json()).toMatchObject({ name: 'web' });
    const res = await t.app.inject({ method: 'GET', url: `/api/monitors/${id}/results?status=down`, headers: t.as('viewer') });
    const { results } = res.json<{ results: { status: string; error: string; details: { name: string; pass: boolean; actual: string }[]; trace_url: string; trace_id: string }[] }>();
    expect(results).toHaveLength(1);
    expect(results[0]!.details).toContainEqual(expect.objectContaining({ name: 'status', pass: false, actual: '500' }));
    expect(results[0]!.trace_url).toBe(`http://jaeger.local/trace/${results[0]!.trace_id}`);
    expect((await t.app.inject({ method: 'GET', url: '/api/monitors/99999', headers: t.as('viewer') })).statusCode).toBe(404);
    expect((await t.app.inject({ method: 'GET', url: `/api/monitors/${id}/results?since=yesterday`, headers: t.as('viewer') })).statusCode).toBe(400);
  });

  it('gives uptime and latency percentiles for any window', async () => {
    const list = (await t.app.inject({ method: 'GET', url: '/api/monitors?service=shop', headers: t.as('viewer') })).json<{ monitors: { id: number }[] }>();
    const id = list.monitors[0]!.id;
    const all = (await t.app.inject({ method: 'GET', url: `/api/monitors/${id}/stats`, headers: t.as('viewer') })).json<{ runs: number; availability: number; p95_ms: number }>();
    expect(all).toMatchObject({ runs: 5, availability: 0.8 });
    expect(all.p95_ms).toBeGreaterThan(0);
    const late = (await t.app.inject({ method: 'GET', url: `/api/monitors/${id}/stats?since=${t.clock.now() - 90_000}`, headers: t.as('viewer') })).json();
    expect(late).toMatchObject({ runs: 2, availability: 0.5 }); // the last run and the failed one before it
    const none = (await t.app.inject({ method: 'GET', url: `/api/monitors/${id}/stats?until=${t.clock.now() - 3_600_000}`, headers: t.as('viewer') })).json();
    expect(none).toMatchObject({ runs: 0, availability: null });
  });

  it('takes heartbeat pings by token, and a missing one takes the monitor down', async () => {
    expect((await t.app.inject({ method: 'POST', url: '/api/heartbeat/wrong-token' })).statusCode).toBe(404);
    const ping = await t.app.inject({ method: 'POST', url: '/api/heartbeat/hb-token-0123456789abcdef' });
    expect(ping.json()).toEqual({ ok: true, monitor: 'nightly-backup' });
    t.clock.advance(60 * 60_000);
    await m.scheduler.runDue();
    const hb = () => t.rt.store.db.selectFrom('monitors').select('status').where('name', '=', 'nightly-backup').executeTakeFirstOrThrow();
    expect(await hb()).toEqual({ status: 'up' });
    // Nothing for interval + grace, and two failing runs: down.
    t.clock.advance(80 * 60_000);
    await m.scheduler.runDue();
    t.clock.advance(5_000);
    await m.scheduler.runDue();
    expect(await hb()).toEqual({ status: 'down' });
  });

  it('exposes check metrics, the whole set or one metric by name', async () => {
    const all = (await t.app.inject({ method: 'GET', url: '/metrics' })).body;
    // One histogram for all monitors by phase; a monitor's own series are its last run (issue 14).
    expect(all).toMatch(/medic_check_duration_seconds_bucket\{le="0.1",phase="total"\} [1-9]/);
    expect(all).not.toMatch(/medic_check_duration_seconds_bucket\{[^}]*monitor=/);
    expect(all).toMatch(/medic_check_last_duration_seconds\{monitor="web"\} \d/);
    expect(all).toMatch(/medic_check_up\{monitor="web"\} 1/);
    expect(all).toMatch(/medic_checks_total\{result="down"\} [1-9]/);
    const one = (await t.app.inject({ method: 'GET', url: '/metrics?name=medic_scheduler_lag_seconds' })).body;
    expect(one).toContain('medic_scheduler_lag_seconds_count');
    expect(one).not.toContain('medic_check_up');
  });

  it('needs a token to read monitors', async () => {
    expect((await t.app.inject({ method: 'GET', url: '/api/monitors' })).statusCode).toBe(401);
  });
});
