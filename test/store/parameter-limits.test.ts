import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inChunks, insertInChunks } from '../../src/store/index.js';
import { openTestApp, type TestApp } from '../helpers/app.js';
import { ENGINES, openTestStore } from '../helpers/stores.js';

/**
 * A statement has at most 32,766 parameters on SQLite and 65,535 on PostgreSQL. An Alertmanager group
 * of thousands of alerts becomes IN lists of thousands of fingerprints and inserts of thousands of rows
 * of 15 columns: 3,000 alerts overflowed SQLite, 5,000 overflow PostgreSQL too. Alertmanager retries a
 * 5xx forever, so the delivery must be recorded whole.
 */

function group(size: number, prefix: string) {
  return {
    version: '4',
    groupKey: `{}:{alertname="Storm-${prefix}"}`,
    status: 'firing',
    receiver: 'medic',
    alerts: Array.from({ length: size }, (_, i) => ({
      status: 'firing',
      labels: { alertname: `Storm-${prefix}`, service: `svc-${prefix}`, instance: `pod-${i}` },
      startsAt: '2026-11-27T11:50:00Z',
      fingerprint: `${prefix}-${i.toString(16).padStart(8, '0')}`,
    })),
  };
}

describe.each(ENGINES)('an Alertmanager group larger than the engine parameter limit on %s', (engine) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await openTestApp({ engine, config: 'server: { body_limit: "8mb" }' });
  });
  afterAll(async () => t?.close());

  const count = async (table: 'alerts' | 'alert_states', prefix: string) =>
    Number((await t.rt.store.db.selectFrom(table).select((eb) => eb.fn.countAll().as('n')).where('fingerprint', 'like', `${prefix}-%`).executeTakeFirstOrThrow()).n);

  for (const size of [3000, 5000]) {
    it(`records a ${size}-alert delivery whole, and again when it repeats`, async () => {
      const prefix = `g${size}`;
      const post = () => t.app.inject({ method: 'POST', url: '/api/alerts/alertmanager', headers: t.as('responder'), payload: group(size, prefix) });
      const first = await post();
      expect(first.statusCode, first.body).toBe(200);
      expect(first.json().received).toBe(size);
      expect(await count('alerts', prefix)).toBe(size);
      expect(await count('alert_states', prefix)).toBe(size);
      const ids = new Set((first.json().results as { incidentId: number }[]).map((r) => r.incidentId));
      expect(ids.size).toBe(1);
      const [id] = [...ids];
      const fired = await t.rt.store.db.selectFrom('incident_events').select((eb) => eb.fn.countAll().as('n')).where('incident_id', '=', id!).where('type', '=', 'alert_fired').executeTakeFirstOrThrow();
      expect(Number(fired.n)).toBe(size);

      // The re-notification reads every fingerprint back (IN lists): each joins the same incident, and
      // none fires a second time.
      const again = await post();
      expect(again.statusCode, again.body).toBe(200);
      expect(new Set((again.json().results as { incidentId: number }[]).map((r) => r.incidentId))).toEqual(ids);
      expect(await count('alerts', prefix)).toBe(2 * size);
      const firedAgain = await t.rt.store.db.selectFrom('incident_events').select((eb) => eb.fn.countAll().as('n')).where('incident_id', '=', id!).where('type', '=', 'alert_fired').executeTakeFirstOrThrow();
      expect(Number(firedAgain.n)).toBe(size);
    }, 120_000);
  }
});

describe.each(ENGINES)('the chunking helpers on %s', (engine) => {
  it('insert and read back more rows and values than one statement may bind', async () => {
    const t = await openTestStore(engine);
    try {
      const { db, dialect } = t.store;
      // 70,000 values: over PostgreSQL's 65,535 and twice SQLite's 32,766 in one IN list; 14,000 rows of 5 columns.
      const rows = Array.from({ length: 14_000 }, (_, i) => ({ fingerprint: `fp-${i}`, incident_id: null, status: 'firing', starts_at: i, updated_at: i }));
      await insertInChunks(dialect, rows, (chunk) => db.insertInto('alert_states').values(chunk).execute());
      const wanted = Array.from({ length: 70_000 }, (_, i) => `fp-${i * 2}`);
      const found = await inChunks(dialect, wanted, (chunk) => db.selectFrom('alert_states').select('fingerprint').where('fingerprint', 'in', chunk).execute());
      expect(found).toHaveLength(7_000);
      expect(new Set(found.map((r) => r.fingerprint))).toEqual(new Set(Array.from({ length: 7_000 }, (_, i) => `fp-${i * 2}`)));
    } finally {
      await t.cleanup();
    }
  }, 60_000);
});
