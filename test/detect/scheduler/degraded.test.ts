import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startMonitoring, type Monitoring } from '../../../src/runtime/monitoring.js';
import { openHarness, type AutomationHarness } from '../../helpers/automation.js';
import { json, startHttpTarget, type HttpTarget } from '../../helpers/http-target.js';

/** Degraded is shown and opens nothing, unless `notify_degraded` asks to be told. */
describe('degraded monitors', () => {
  let target: HttpTarget;
  let code = 200;
  let h: AutomationHarness;
  let m: Monitoring;

  beforeAll(async () => {
    target = await startHttpTarget({ '/': (_req, res) => json(res, code, {}) });
    const monitor = (name: string, extra: string) => `  - { name: ${name}, type: http, service: web, url: "${target.url('/')}", interval: 10s, assert_status: "200-299", degraded_if: "status_code == 202"${extra} }`;
    h = await openHarness('sqlite', `monitors:\n${monitor('quiet', '')}\n${monitor('loud', ', notify_degraded: true')}\n`);
    m = await startMonitoring(h.core, { start: false });
  });
  afterAll(async () => {
    await m?.stop();
    await h?.close();
    await target?.close();
  });
  const db = () => h.core.rt.store.db;

  it('marks both degraded; only the one with notify_degraded opens a P4 latency incident', async () => {
    code = 202;
    h.clock.advance(10_000);
    expect(await m.scheduler.runDue()).toBe(2);
    const statuses = await db().selectFrom('monitors').select(['name', 'status']).orderBy('name').execute();
    expect(statuses).toEqual([{ name: 'loud', status: 'degraded' }, { name: 'quiet', status: 'degraded' }]);
    const incidents = await db().selectFrom('incidents').selectAll().execute();
    expect(incidents).toHaveLength(1);
    expect(incidents[0]).toMatchObject({ severity: 'P4', alert_name: 'loud degraded', status: 'open' });
    expect(JSON.parse(incidents[0]!.labels)).toMatchObject({ alert_type: 'latency', monitor: 'loud' });
  });

  it('resolves it when the monitor is up again', async () => {
    code = 200;
    h.clock.advance(10_000);
    await m.scheduler.runDue();
    expect((await db().selectFrom('incidents').select('resolved_at').executeTakeFirstOrThrow()).resolved_at).toBe(h.clock.now());
  });
});
