import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ruleFingerprint } from '../../../src/detect/rules/alert-rules.js';
import { startMonitoring, type Monitoring } from '../../../src/runtime/monitoring.js';
import { insertCheckResult, openHarness, type AutomationHarness } from '../../helpers/automation.js';
import { ENGINES } from '../../helpers/stores.js';

/** `alerts:` rules with a condition, evaluated over check results, fire and resolve through ingest. */
describe.each(ENGINES)('alert rules over check results on %s', (engine) => {
  let h: AutomationHarness;
  let m: Monitoring;
  let monitorId: number;

  beforeAll(async () => {
    h = await openHarness(
      engine,
      `
services: [{ name: api }]
monitors:
  - { name: api health, type: http, service: api, url: "http://127.0.0.1:9/" }
alerts:
  - { name: ApiErrorRate, service: api, type: error_rate, condition: "error_rate > 20%", for: 1m, window: 5m, evaluation_interval: 30s, severity: P2 }
  - { name: ApiSlow, service: api, type: latency, condition: "p95_ms > 800", window: 5m, evaluation_interval: 30s }
`,
    );
    m = await startMonitoring(h.core, { start: false });
    monitorId = Number((await h.core.rt.store.db.selectFrom('monitors').select('id').executeTakeFirstOrThrow()).id);
  });
  afterAll(async () => {
    await m?.stop();
    await h?.close();
  });
  const db = () => h.core.rt.store.db;
  const state = (name: string) => db().selectFrom('alert_states').select(['status', 'incident_id']).where('fingerprint', '=', ruleFingerprint(name)).executeTakeFirst();

  it('fires only after the condition held for `for`, and opens an incident like any alert', async () => {
    for (let i = 0; i < 10; i++) await insertCheckResult(h, monitorId, i < 4 ? 'down' : 'up', h.clock.now() - i * 10_000);
    expect(await m.rules.tick()).toEqual([]);
    expect(await state('ApiErrorRate')).toBeUndefined();
    h.clock.advance(30_000);
    expect(await m.rules.tick()).toEqual([]);
    h.clock.advance(30_000);
    await insertCheckResult(h, monitorId, 'down', h.clock.now() - 1);
    expect(await m.rules.tick()).toEqual(['ApiErrorRate']);
    const s = await state('ApiErrorRate');
    expect(s?.status).toBe('firing');
    const incident = await db().selectFrom('incidents').selectAll().where('id', '=', s!.incident_id!).executeTakeFirstOrThrow();
    expect(incident).toMatchObject({ alert_name: 'ApiErrorRate', service: 'api', severity: 'P2', source: 'rule' });
    expect(JSON.parse(incident.labels)).toMatchObject({ alert_type: 'error_rate' });
  });

  it('resolves when the condition stops holding', async () => {
    h.clock.advance(6 * 60_000);
    for (let i = 0; i < 10; i++) await insertCheckResult(h, monitorId, 'up', h.clock.now() - i * 10_000);
    expect(await m.rules.tick()).toContain('ApiErrorRate');
    expect((await state('ApiErrorRate'))?.status).toBe('resolved');
  });

  it('never fires on a window with no results', async () => {
    h.clock.advance(60 * 60_000);
    expect(await m.rules.tick()).toEqual([]);
    expect(await state('ApiSlow')).toBeUndefined();
  });
});
