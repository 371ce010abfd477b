import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfigText } from '../../../src/config/index.js';
import { syncMonitors } from '../../../src/detect/monitors/sync.js';
import { startMonitoring, type Monitoring } from '../../../src/runtime/monitoring.js';
import { openHarness, type AutomationHarness } from '../../helpers/automation.js';
import { json, startHttpTarget, type HttpTarget } from '../../helpers/http-target.js';
import { ENGINES } from '../../helpers/stores.js';

/** Locations and confirm_locations, and config reloads that keep the state of what did not change. */
describe.each(ENGINES)('locations and reloads on %s', (engine) => {
  let target: HttpTarget;
  let healthy = true;
  let h: AutomationHarness;
  let eu: Monitoring;
  let us: Monitoring;
  const yaml = (extra = '') => `
monitors:
  - name: edge
    type: http
    service: cdn
    url: ${target.url('/')}
    interval: 10s
    failure_threshold: 1
    locations: [eu, us]
    confirm_locations: 2
${extra}`;

  beforeAll(async () => {
    target = await startHttpTarget({ '/': (_req, res) => json(res, healthy ? 200 : 500, {}) });
    h = await openHarness(engine, yaml());
    eu = await startMonitoring(h.core, { start: false, owner: 'eu-1', location: 'eu' });
    us = await startMonitoring(h.core, { start: false, owner: 'us-1', location: 'us' });
  });
  afterAll(async () => {
    await eu?.stop();
    await us?.stop();
    await h?.close();
    await target?.close();
  });
  const db = () => h.core.rt.store.db;
  const incidents = () => db().selectFrom('incidents').selectAll().execute();

  it('keeps one schedule row per location; each worker runs only its own', async () => {
    const rows = await db().selectFrom('monitor_schedule').select('location').orderBy('location').execute();
    expect(rows.map((r) => r.location)).toEqual(['eu', 'us']);
    h.clock.advance(10_000);
    expect(await eu.scheduler.runDue()).toBe(1);
    expect(await us.scheduler.runDue()).toBe(1);
    expect(await eu.scheduler.runDue()).toBe(0);
    const locations = await db().selectFrom('check_results').select('location').orderBy('location').execute();
    expect(locations.map((r) => r.location)).toEqual(['eu', 'us']);
  });

  it('opens an incident only when confirm_locations see the failure, naming them', async () => {
    healthy = false;
    h.clock.advance(10_000);
    expect(await eu.scheduler.runDue()).toBe(1);
    expect(await incidents()).toHaveLength(0);
    expect(await db().selectFrom('monitors').select('status').executeTakeFirstOrThrow()).toEqual({ status: 'up' });
    expect(await us.scheduler.runDue()).toBe(1);
    const [incident] = await incidents();
    expect(incident).toBeDefined();
    const alert = await db().selectFrom('alerts').select('annotations').where('incident_id', '=', incident!.id).executeTakeFirstOrThrow();
    expect(JSON.parse(alert.annotations)).toMatchObject({ locations: 'eu, us' });
  });

  it('a reload keeps an unchanged monitor, re-runs a changed one soon, and disables a removed one', async () => {
    const before = await db().selectFrom('monitor_schedule').selectAll().orderBy('location').execute();
    const loaded = loadConfigText(`${yaml(`  - { name: api, type: tcp, host: 127.0.0.1, port: ${target.port}, interval: 30s }`)}\nstorage: { url: "${h.url}" }`);
    await eu.reload(loaded);
    const after = await db().selectFrom('monitor_schedule').selectAll().orderBy('location').execute();
    // The edge monitor did not change: same rows, same streak (still down at both locations).
    expect(after.filter((r) => before.some((b) => b.id === r.id))).toEqual(before);
    const api = await db().selectFrom('monitors').select(['id', 'enabled']).where('name', '=', 'api').executeTakeFirstOrThrow();
    expect(api.enabled).toBe(1);

    // Change the edge monitor's interval: its state stays, its next run comes within 5 s.
    const changed = loadConfigText(`${yaml().replace('interval: 10s', 'interval: 20s')}\nstorage: { url: "${h.url}" }`);
    await eu.reload(changed);
    const rows = await db().selectFrom('monitor_schedule').selectAll().where('monitor_id', '=', before[0]!.monitor_id).execute();
    expect(rows.every((r) => r.status === 'down' && Number(r.next_run_at) - h.clock.now() <= 5_000)).toBe(true);
    // api is no longer in the config: disabled, not deleted.
    expect(await db().selectFrom('monitors').select('enabled').where('name', '=', 'api').executeTakeFirstOrThrow()).toEqual({ enabled: 0 });
  });

  it('stores a redacted copy of the config, never a secret', async () => {
    const loaded = loadConfigText(`monitors: [{ name: secret-check, type: http, url: "http://127.0.0.1:1/", headers: { authorization: "Bearer \${TOKEN}" } }]`, { env: { TOKEN: 's3cr3t-value-123' } });
    await syncMonitors(db(), h.core.rt.store.dialect, loaded.config.monitors, loaded.redactor, h.clock.now());
    const row = await db().selectFrom('monitors').select('config').where('name', '=', 'secret-check').executeTakeFirstOrThrow();
    expect(row.config).not.toContain('s3cr3t-value-123');
    expect(row.config).toContain('[REDACTED]');
  });
});
