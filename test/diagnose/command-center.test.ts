import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CommandCenterService } from '../../src/diagnose/index.js';
import { openTestApp, type TestApp } from '../helpers/app.js';
import { COMMAND_CENTER_CONFIG, insertResults, seedCommandCenter, type SeededWorld } from '../helpers/command-center.js';
import { ENGINES } from '../helpers/stores.js';

const MIN = 60_000;

describe.each(ENGINES)('GET /api/command-center on %s', (engine) => {
  let t: TestApp;
  let world: SeededWorld;
  let now: number;
  beforeAll(async () => {
    t = await openTestApp({ engine, config: COMMAND_CENTER_CONFIG });
    now = t.clock.now();
    world = await seedCommandCenter(t.core, (o) => t.app.inject({ ...o, headers: t.as('responder') }), now);
  });
  afterAll(async () => t?.close());

  const get = async (query = '') => {
    const res = await t.app.inject({ method: 'GET', url: `/api/command-center${query}`, headers: t.as('viewer') });
    expect(res.statusCode, res.body).toBe(200);
    return res.json();
  };

  it('compares the checks of the last 5 minutes with the 5 before', async () => {
    const body = await get();
    expect(body.window).toEqual({ ms: 5 * MIN, start: now - 5 * MIN, end: now, previousStart: now - 10 * MIN });
    expect(body.tiles).toEqual({
      // 3 of 12 runs failed now, 1 of 8 before; p95 of the durations interpolated as percentile_cont does.
      errorRate: { value: 0.25, previous: 0.125, source: 'checks', basis: '5 monitors' },
      latencyP95Ms: { value: expect.closeTo(945, 9), previous: expect.closeTo(76.5, 9), source: 'checks', basis: '5 monitors' },
      throughputPerMinute: { value: 12 / 5, previous: 8 / 5, source: 'checks', basis: '5 monitors' },
    });
  });

  it('gives the error rate by service, worst first, then the busiest, then by name', async () => {
    const body = await get();
    expect(body.services).toEqual({
      total: 3,
      items: [
        // The window before, per service: checkout 0 of 4, auth (login) 1 of 2, search 0 of 2.
        { service: 'checkout', errorRate: { value: 3 / 8, previous: 0 }, source: 'checks', runs: 8, failed: 3 },
        { service: 'auth', errorRate: { value: 0, previous: 1 / 2 }, source: 'checks', runs: 2, failed: 0 },
        { service: 'search', errorRate: { value: 0, previous: 0 }, source: 'checks', runs: 2, failed: 0 },
      ],
    });
  });

  it('lists active incidents by severity with the deployment just before each, and marks that deployment', async () => {
    const body = await get();
    expect(body.incidents.total).toBe(2);
    expect(body.incidents.items).toMatchObject([
      {
        id: world.incidents.payment,
        severity: 'P1',
        service: 'payment',
        startedAt: now - 10 * MIN,
        // Its own service's v2.3.1 (12 min ago) is newer than the db deployment it depends on (20 min ago).
        deploymentBefore: { deploymentId: world.deployments.paymentNew, service: 'payment', version: 'v2.3.1', deployedAt: now - 12 * MIN, minutesBefore: 2 },
      },
      // search v7 came after the incident started: not a suspect.
      { id: world.incidents.search, severity: 'P3', service: 'search', deploymentBefore: null },
    ]);
    expect(body.deployments.map((d: { id: number; justBefore: number[] }) => [d.id, d.justBefore])).toEqual([
      [world.deployments.searchAfter, []],
      [world.deployments.paymentNew, [world.incidents.payment]],
      [world.deployments.db, []],
      [world.deployments.paymentOld, []],
    ]);
  });

  it('lists firing alerts, the remediation waiting for approval and the flag switched off', async () => {
    const body = await get();
    expect(body.alerts).toMatchObject({ total: 2, items: [{ name: 'PaymentErrors', severity: 'P1', service: 'payment', incidentId: world.incidents.payment, startsAt: now - 10 * MIN }, { name: 'SearchSlow', severity: 'P3' }] });
    expect(body.approvals).toEqual({ total: 1, items: [{ attemptId: world.attemptId, incidentId: world.incidents.payment, rule: 'restart-payment', actionType: 'webhook', requestedAt: now, expiresAt: now + 15 * MIN }] });
    // The flag's creation from medic.yaml is not a change anyone relied on; switching it off is.
    expect(body.flagChanges).toEqual([{ id: expect.any(Number), key: 'new_checkout_flow', at: now, actor: 'r', reason: 'checkout 500s', incidentId: null, enabled: false, rollout: 1 }]);
  });

  it('counts enabled monitors by state and lists the unhealthy ones with their latest error', async () => {
    const body = await get();
    expect(body.monitors).toEqual({
      total: 5,
      counts: { up: 2, degraded: 1, down: 1, pending: 1, paused: 0 },
      unhealthy: {
        total: 2,
        items: [
          { id: world.monitors.checkoutApi, name: 'Checkout API', service: 'checkout', type: 'http', status: 'down', lastRunAt: now - 30_000, incidentId: null, error: 'expected status 200, got 503' },
          { id: world.monitors.search, name: 'Search', service: 'search', type: 'http', status: 'degraded', lastRunAt: now - 30_000, incidentId: null, error: null },
        ],
      },
    });
    expect(body.prometheus).toEqual({ configured: false, services: 0, sampledAt: null, errors: [] });
  });

  it('takes another window, and refuses one out of bounds', async () => {
    const body = await get('?window=15m');
    // 15 minutes: everything but the runs of 30 minutes ago; the window before holds that one.
    expect(body.window.ms).toBe(15 * MIN);
    expect(body.tiles.errorRate).toMatchObject({ value: 5 / 21, previous: 1 });
    for (const bad of ['30s', '2h', 'soon']) {
      const res = await t.app.inject({ method: 'GET', url: `/api/command-center?window=${bad}`, headers: t.as('viewer') });
      expect(res.statusCode, bad).toBe(400);
    }
    expect((await t.app.inject({ method: 'GET', url: '/api/command-center' })).statusCode).toBe(401);
  });

  it('keeps an answer for a few seconds, and drops it when a change is reported', async () => {
    let notify: (kind: string) => void = () => {};
    const changes = { subscribe: (l: (kind: string) => void) => ((notify = l), () => (notify = () => {})) };
    const service = new CommandCenterService({ store: t.rt.store, config: t.rt.loaded.config, clock: t.clock, changes, ttlMs: 5000 });
    try {
      const first = await service.get();
      expect(service.get()).toBe(service.get());
      await insertResults(t.rt.store.db, world.monitors.login, [[now - 30_000, 'down', 10, 'boom']]);
      expect(await service.get()).toBe(first);
      notify('checks');
      expect((await service.get()).tiles.errorRate.value).toBe(4 / 13);
      // Without any change, an answer is recomputed once it is a few seconds old (the window slides).
      const kept = await service.get();
      t.clock.advance(4000);
      expect(await service.get()).toBe(kept);
      t.clock.advance(1000);
      expect(await service.get()).not.toBe(kept);
    } finally {
      service.stop();
      t.clock.set(now);
    }
  });

  it('sees changes through the server’s change feed', async () => {
    await get();
    await insertResults(t.rt.store.db, world.monitors.login, [[now - 20_000, 'down', 10, 'boom again']]);
    // The feed polls the database every second; the next answer after it saw the result includes it.
    await expect.poll(async () => (await get()).tiles.errorRate.value, { timeout: 5000, interval: 200 }).toBe(5 / 14);
  });
});
