import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { getIncident, getTimeline, ingestAlerts } from '../../src/incidents/index.js';
import { openTestApp, type TestApp } from '../helpers/app.js';
import { runDueJobs } from '../helpers/automation.js';
import { alert } from '../helpers/incidents.js';
import { startSink, type Sink } from '../notify/sink.js';

const MIN = 60_000;

describe('the acknowledge link in a page', () => {
  let sink: Sink;
  let t: TestApp;
  beforeAll(async () => {
    sink = await startSink();
  });
  afterAll(async () => sink.close());
  afterEach(async () => {
    await t?.close();
    sink.received.length = 0;
  });

  /** An app whose policy pages alice (webhook) at once and carol 10 minutes later; returns the link alice got. */
  async function paged(): Promise<{ id: number; link: string; path: string }> {
    t = await openTestApp({
      config: `
server: { public_url: "https://medic.example.com/" }
people:
  - { name: alice, webhook: "${sink.url}/alice" }
  - { name: carol, webhook: "${sink.url}/carol" }
oncall:
  escalation_policies:
    - { name: p, page: immediately, levels: [{ notify: [person:alice] }, { after: 10m, notify: [person:carol] }] }
services:
  - { name: payment, escalation: p }
`,
    });
    const [r] = await ingestAlerts(t.core.incidents, [alert()], 'test');
    await runDueJobs(t.core, t.clock);
    const details = (sink.received.at(-1)!.json as { details: string[] }).details;
    const link = /Acknowledge \(works once, for 1h\): (\S+)$/.exec(details.at(-1)!)![1]!;
    return { id: r!.incidentId!, link, path: new URL(link).pathname };
  }

  const acknowledged = async (id: number) => (await getIncident(t.rt.store.db, id))!.acknowledgedAt;

  it('GET shows the incident and an Acknowledge button, and changes nothing', async () => {
    const { id, link, path } = await paged();
    expect(link.startsWith('https://medic.example.com/ack/')).toBe(true);
    for (let i = 0; i < 2; i++) {
      const res = await t.app.inject({ method: 'GET', url: path });
      expect(res.statusCode).toBe(200);
      expect(res.headers['content-type']).toMatch(/^text\/html/);
      expect(res.headers['cache-control']).toBe('no-store');
      expect(res.body).toContain(`#${id} HighErrorRate`);
      expect(res.body).toContain(`<form method="post" action="${path}">`);
      expect(res.body).toContain('Acknowledge as <strong>alice</strong>');
    }
    expect(await acknowledged(id)).toBeNull();
    expect((await getTimeline(t.rt.store.db, id)).map((e) => e.type)).not.toContain('acknowledged');
    expect(await t.rt.store.db.selectFrom('ack_links_used').selectAll().execute()).toEqual([]);
  });

  it('POST acknowledges without sign-in, records who, and stops the escalation', async () => {
    const { id, path } = await paged();
    t.clock.advance(2 * MIN);
    const res = await t.app.inject({ method: 'POST', url: path, headers: { 'content-type': 'application/x-www-form-urlencoded' }, payload: '' });
    expect(res.statusCode).toBe(200);
    expect(res.body).toContain('Acknowledged by <strong>alice</strong>');
    const ack = (await getTimeline(t.rt.store.db, id)).find((e) => e.type === 'acknowledged')!;
    expect(ack).toMatchObject({ actor: 'alice', payload: { via: 'ack_link' } });
    expect(await acknowledged(id)).toBe(t.clock.now());
    t.clock.advance(30 * MIN);
    await runDueJobs(t.core, t.clock);
    expect(sink.received.map((r) => r.path)).toEqual(['/alice']);
  });

  it('works once', async () => {
    const { id, path } = await paged();
    expect((await t.app.inject({ method: 'POST', url: path })).statusCode).toBe(200);
    const again = await t.app.inject({ method: 'POST', url: path });
    expect(again.statusCode).toBe(410);
    expect(again.body).toContain('was used already');
    expect((await t.app.inject({ method: 'GET', url: path })).statusCode).toBe(410);
    expect((await getTimeline(t.rt.store.db, id)).filter((e) => e.type === 'acknowledged')).toHaveLength(1);
  });

  it('expires (default 1 h) and then does nothing', async () => {
    const { id, path } = await paged();
    t.clock.advance(60 * MIN - 1);
    expect((await t.app.inject({ method: 'GET', url: path })).statusCode).toBe(200);
    t.clock.advance(1);
    const get = await t.app.inject({ method: 'GET', url: path });
    expect(get.statusCode).toBe(410);
    expect(get.body).toContain('has expired');
    expect((await t.app.inject({ method: 'POST', url: path })).statusCode).toBe(410);
    expect(await acknowledged(id)).toBeNull();
  });

  it('is signed: any change to it, or a link signed with another key, is refused', async () => {
    const { id, path } = await paged();
    const token = path.slice('/ack/'.length);
    const [incident, event, expires, sig] = token.split('.') as [string, string, string, string];
    const forged = [
      `${incident}.${event}.${Number(expires) + 3_600_000}.${sig}`, // a longer life
      `${Number(incident) + 1}.${event}.${expires}.${sig}`, // another incident
      `${incident}.${Number(event) + 1}.${expires}.${sig}`, // another page
      `${incident}.${event}.${expires}.${sig.slice(0, -1)}${sig.endsWith('A') ? 'B' : 'A'}`,
      'not-a-token',
    ];
    for (const f of forged) {
      for (const method of ['GET', 'POST'] as const) {
        const res = await t.app.inject({ method, url: `/ack/${f}` });
        expect(res.statusCode, `${method} ${f}`).toBe(404);
        expect(res.body).toContain('not valid');
      }
    }
    expect(await acknowledged(id)).toBeNull();
    // The key lives in the database, not in the link, the timeline or the jobs; no API token is in the link.
    const key = (await t.rt.store.db.selectFrom('medic_secrets').select('value').executeTakeFirstOrThrow()).value;
    const stored = JSON.stringify([await getTimeline(t.rt.store.db, id), await t.rt.store.db.selectFrom('jobs').selectAll().execute()]);
    expect(stored).not.toContain(key);
    expect(stored).not.toContain(sig);
    for (const secret of Object.values(t.tokens)) expect(path).not.toContain(secret);
  });
});
