import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { listDeployments, recordDeployment } from '../../src/diagnose/index.js';
import { toJson } from '../../src/store/index.js';
import { openTestApp, type TestApp } from '../helpers/app.js';
import { openHarness, type AutomationHarness } from '../helpers/automation.js';
import { runCli } from '../helpers/cli.js';
import { alert, T0 } from '../helpers/incidents.js';
import { isFix } from '../../src/incidents/index.js';
import { ENGINES } from '../helpers/stores.js';
import { tempDir } from './helpers.js';

const MIN = 60_000;
const CONFIG = `
services:
  - { name: database }
  - { name: payment, depends_on: [database] }
  - { name: auth }
flags:
  - { key: new_checkout_flow, service: payment }
  - { key: db_pool_v2, service: database }
  - { key: auth_sso, service: auth }
incidents: { correlation_window: 2h }
`;

describe.each(ENGINES)('deployment correlation on %s', (engine) => {
  let h: AutomationHarness;
  afterEach(async () => h?.close());

  it("attaches the service's and its dependencies' deployments and flag changes from the window before started_at, newest first", async () => {
    h = await openHarness(engine, CONFIG);
    const db = h.core.rt.store.db;
    const started = T0 - 5 * MIN;
    const deploy = (service: string, version: string, at: number) => recordDeployment(db, { service, version, actor: 'ci', commit: `c-${version}`, url: `https://ci.example.com/${version}` }, at);
    await deploy('payment', 'v2.4.0', started - 3 * 60 * MIN); // before the window
    await deploy('payment', 'v2.4.1', started - 90 * MIN);
    await deploy('database', 'pg-16.2', started - 30 * MIN);
    await deploy('auth', 'v1.8.0', started - 10 * MIN); // unrelated service
    await deploy('payment', 'v2.4.2', started + MIN); // well after impact began: not a cause
    await deploy('payment', 'v2.4.3', started + 5_000); // reported as its rollout finished, just after impact began
    const change = (flag_key: string, at: number) =>
      db.insertInto('flag_changes').values({ flag_key, at, actor: 'alice', reason: 'rollout', incident_id: null, before: toJson({ enabled: false }), after: toJson({ enabled: true }) }).execute();
    await change('new_checkout_flow', started - 20 * MIN);
    await change('db_pool_v2', started - 150 * MIN); // before the window
    await change('auth_sso', started - 5 * MIN); // unrelated service

    const id = await h.ingest([alert({ service: 'payment', startsAt: started })]);
    const suspects = (await h.timeline(id)).filter((e) => e.type === 'deployment_correlated' || e.type === 'flag_changed');
    expect(suspects.map((e) => [e.type, e.type === 'deployment_correlated' ? e.payload.version : e.type === 'flag_changed' ? e.payload.flag : undefined])).toEqual([
      ['deployment_correlated', 'v2.4.3'],
      ['flag_changed', 'new_checkout_flow'],
      ['deployment_correlated', 'pg-16.2'],
      ['deployment_correlated', 'v2.4.1'],
    ]);
    expect(suspects[0]!.payload).toMatchObject({ version: 'v2.4.3', minutes_before_start: -0.1 });
    expect(suspects[2]!.payload).toMatchObject({ service: 'database', relation: 'dependency', minutes_before_start: 30, deployed_at: started - 30 * MIN, commit: 'c-pg-16.2' });
    expect(suspects[3]!.payload).toMatchObject({ service: 'payment', relation: 'same service', minutes_before_start: 90, url: 'https://ci.example.com/v2.4.1', deployed_by: 'ci' });
    expect(suspects[1]!.payload).toMatchObject({ correlated: true, flag: 'new_checkout_flow', changed_by: 'alice', before: { enabled: false }, after: { enabled: true } });
    // Suspects are not fixes.
    expect(suspects.some(isFix)).toBe(false);
    expect((await h.core.rt.store.db.selectFrom('incidents').select('resolved_at').executeTakeFirstOrThrow()).resolved_at).toBeNull();
  });

  it('attaches nothing when nothing changed, and only once (not when alerts fire again)', async () => {
    h = await openHarness(engine, CONFIG);
    const id = await h.ingest([alert({ service: 'auth', fingerprint: 'a' })]);
    expect(await h.types(id)).toEqual(['opened', 'alert_fired']);
    await recordDeployment(h.core.rt.store.db, { service: 'auth', version: 'v9', actor: 'ci' }, T0 - 2 * MIN);
    h.clock.advance(MIN);
    // The alert firing anew (a later startsAt) is news; no deployment is attached for it.
    await h.ingest([alert({ service: 'auth', fingerprint: 'a', startsAt: T0 + MIN })]);
    expect(await h.types(id)).toEqual(['opened', 'alert_fired', 'alert_fired']);
  });
});

describe('deployments API', () => {
  let t: TestApp;
  afterEach(async () => t?.close());

  it('records deployments (responder) and lists them newest first (viewer), by service and since', async () => {
    t = await openTestApp();
    const post = (body: unknown, role: 'viewer' | 'responder' = 'responder') => t.app.inject({ method: 'POST', url: '/api/deployments', headers: t.as(role), payload: body as object });
    expect((await post({ service: 'payment', version: 'v1' }, 'viewer')).statusCode).toBe(403);
    const first = await post({ service: 'payment', version: 'v2.4.1', commit: 'abc123', url: 'https://ci.example.com/run/1' });
    expect(first.statusCode).toBe(201);
    expect(first.json()).toMatchObject({ service: 'payment', version: 'v2.4.1', commit: 'abc123', url: 'https://ci.example.com/run/1', actor: 'r', rollback: false, deployedAt: t.clock.now() });
    t.clock.advance(MIN);
    await post({ service: 'auth', version: 'v1.8.0' });
    t.clock.advance(MIN);
    await post({ service: 'payment', version: 'v2.4.2' });
    const bad = await post({ service: 'payment' });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().message).toMatch(/version/);

    const list = async (query: string) => (await t.app.inject({ method: 'GET', url: `/api/deployments${query}`, headers: t.as('viewer') })).json().deployments.map((d: { version: string }) => d.version);
    expect(await list('')).toEqual(['v2.4.2', 'v1.8.0', 'v2.4.1']);
    expect(await list('?service=payment')).toEqual(['v2.4.2', 'v2.4.1']);
    expect(await list(`?since=${t.clock.now() - MIN}`)).toEqual(['v2.4.2', 'v1.8.0']);
    expect(await list(`?service=payment&since=${new Date(t.clock.now() - MIN).toISOString()}`)).toEqual(['v2.4.2']);
    expect((await t.app.inject({ method: 'GET', url: '/api/deployments?since=yesterday', headers: t.as('viewer') })).statusCode).toBe(400);
    expect((await t.app.inject({ method: 'GET', url: '/api/deployments' })).statusCode).toBe(401);
  });
});

describe('medic deploy', () => {
  it('records a deployment in the configured database', async () => {
    const dir = tempDir('medic-deploy-');
    const file = path.join(dir, 'medic.yaml');
    const url = `sqlite://${path.join(dir, 'medic.db')}`;
    writeFileSync(file, `storage: { url: "${url}" }\nservices: [{ name: payment }]\n`);
    const r = await runCli(['deploy', 'payment', 'v2.4.1', '--commit', 'abc123', '--url', 'https://ci.example.com/1', '-c', file]);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^recorded deployment #1: payment v2\.4\.1 \(abc123\) at \d{4}-/);
    expect((await runCli(['deploy', 'payment', 'v2', '--url', 'not a url', '-c', file])).code).toBe(2);

    const h = await openHarness('sqlite', '', { url });
    try {
      expect(await listDeployments(h.core.rt.store.db)).toMatchObject([{ service: 'payment', version: 'v2.4.1', commit: 'abc123', url: 'https://ci.example.com/1', actor: expect.stringMatching(/^cli/), rollback: false }]);
    } finally {
      await h.core.rt.store.close();
    }
  });
});
