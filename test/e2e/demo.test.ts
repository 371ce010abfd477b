import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { listIncidents, getTimeline } from '../../src/incidents/index.js';
import { startDemo, type RunningDemo } from '../../src/runtime/demo/demo.js';
import { silentLogger } from '../../src/shared/logger.js';

/**
 * What `npm start` shows a visitor: the demo's first fault (a deploy that breaks checkout behind the
 * new_checkout_flow flag) detected, diagnosed, fixed by the flag's kill switch and verified, by itself.
 */
describe('the demo', () => {
  let demo: RunningDemo;
  afterAll(async () => demo?.stop());

  it('detects, diagnoses, fixes and verifies its first fault with no human', async () => {
    const dataDir = mkdtempSync(path.join(tmpdir(), 'medic-demo-'));
    demo = await startDemo({ port: 0, dataDir, logger: silentLogger, calmMs: 1_000 });
    const db = demo.server.core.rt.store.db;
    const deadline = Date.now() + 75_000;
    let closed;
    while (Date.now() < deadline) {
      const { incidents } = await listIncidents(db, { limit: 10 });
      closed = incidents.find((i) => i.status === 'closed');
      if (closed) break;
      await new Promise((r) => setTimeout(r, 500));
    }
    expect(closed, 'an incident closed by itself').toBeDefined();
    const i = closed!;
    expect(i.service).toBe('checkout');
    for (const at of [i.startedAt, i.detectedAt, i.diagnosedAt, i.resolvedAt, i.verifiedAt]) expect(at).not.toBeNull();
    const types = (await getTimeline(db, i.id)).map((e) => e.type);
    for (const t of ['opened', 'runbook_finished', 'remediation_finished', 'verified']) expect(types).toContain(t);
    // The kill switch did it, recorded as a flag change linked to the incident.
    const change = await db.selectFrom('flag_changes').selectAll().where('flag_key', '=', 'new_checkout_flow').where('incident_id', '=', i.id).executeTakeFirst();
    expect(change?.actor).toBe('checkout-errors'); // the remediation rule
    expect(JSON.parse(change!.after)).toMatchObject({ enabled: false });
    // The deploy just before it is a suspect.
    expect(types).toContain('deployment_correlated');
    // The sign-in link's token works against the API, as a responder (approve, kill switch), not an admin.
    const me = await fetch(`${demo.url}/api/me`, { headers: { authorization: `Bearer ${demo.token}` } });
    expect(me.status).toBe(200);
    expect(await me.json()).toEqual({ name: 'demo', role: 'responder' });
    expect((await fetch(`${demo.url}/api/tokens`, { headers: { authorization: `Bearer ${demo.token}` } })).status).toBe(403);
    // The shop got its own flags token through its environment: no token on its command line, which
    // every local user can read. (The kill switch working above shows the shop's token reads the flag.)
    const pid = demo.shopPid;
    const cmdline = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0');
    expect(cmdline.join(' ')).toContain('shop.mjs');
    expect(cmdline.join(' ')).not.toMatch(/mdk_|--token/);
    const environ = readFileSync(`/proc/${pid}/environ`, 'utf8').split('\0');
    const shopToken = environ.find((e) => e.startsWith('MEDIC_TOKEN='))?.slice('MEDIC_TOKEN='.length);
    expect(shopToken).toMatch(/^mdk_shop_/);
    expect(shopToken).not.toBe(demo.token);
    const shopMe = await fetch(`${demo.url}/api/incidents`, { headers: { authorization: `Bearer ${shopToken}` } });
    expect(shopMe.status).toBe(403); // a flags token: OFREP only
    // The config written for visitors holds neither token.
    const written = readFileSync(path.join(dataDir, 'demo-medic.yaml'), 'utf8');
    expect(written).not.toContain(demo.token);
    expect(written).not.toContain(shopToken!);
    expect(written).toMatch(/name: demo, role: responder/);
  }, 90_000);
});
