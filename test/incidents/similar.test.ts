import { CompiledQuery } from 'kysely';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { findSimilar, similarLookups, formatIncidentDetails, getIncident, insertIncident, type IncidentDetails } from '../../src/incidents/index.js';
import type { NewRow } from '../../src/store/index.js';
import { incidentRow, T0 } from '../helpers/incidents.js';
import { ENGINES, openTestStore, type TestStore } from '../helpers/stores.js';

const DAY = 86_400_000;

describe.each(ENGINES)('last time this happened, on %s', (engine) => {
  let t: TestStore;
  beforeEach(async () => {
    t = await openTestStore(engine);
  });
  afterEach(async () => t?.cleanup());

  let n = 0;
  const insert = async (o: Partial<NewRow<'incidents'>>) => {
    n++;
    return (await insertIncident(t.store.db, incidentRow({ title: `incident ${n}`, ...o })))!.id;
  };
  const event = (incidentId: number, type: string, payload: Record<string, unknown>) =>
    t.store.db.insertInto('incident_events').values({ incident_id: incidentId, at: T0, actor: 'test', type, payload: JSON.stringify(payload), created_at: T0 }).execute();

  it('same fingerprint first, then same alert and service, most recent first, within 90 days, with cause and fix', async () => {
    const now = await insert({ status: 'open', detected_at: T0, started_at: T0 });
    const a = await insert({ detected_at: T0 - 10 * DAY, started_at: T0 - 10 * DAY, cause: 'connection pool exhausted', mttr_ms: 600_000, resolve_ms: 300_000 });
    await event(a, 'remediation_finished', { rule: 'restart-payment', action: 'kubernetes_rollout_restart', ok: true, fix: true });
    await insert({ detected_at: T0 - 100 * DAY }); // same fingerprint, too old
    const c = await insert({ fingerprint: 'fp-other', status: 'resolved', detected_at: T0 - 2 * DAY, mttr_ms: 120_000 });
    await event(c, 'resolved', { by: 'responder', note: 'raised the pool size to 50' });
    await insert({ fingerprint: 'fp-checkout', service: 'checkout', detected_at: T0 - DAY }); // same alert, other service
    await insert({ fingerprint: 'fp-latency', alert_name: 'HighLatency', detected_at: T0 - DAY }); // same service, other alert
    const e = await insert({ detected_at: T0 - 40 * DAY, cause: 'bad deploy' });
    await event(e, 'remediation_finished', { rule: 'restart-payment', action: 'kubernetes_rollout_restart', ok: false });
    await event(e, 'rolled_back', { service: 'payment' });
    await event(e, 'resolved', { by: 'responder', note: 'rolled back by hand' });
    await insert({ detected_at: T0 + 3_600_000 }); // later than this one

    const incident = (await getIncident(t.store.db, now))!;
    const similar = await findSimilar(t.store.db, incident);
    expect(similar.map((s) => [s.id, s.startedAt, s.mttrMs, s.cause, s.fix, s.postmortem])).toEqual([
      [a, T0 - 10 * DAY, 600_000, 'connection pool exhausted', 'kubernetes_rollout_restart (remediation restart-payment)', `/api/incidents/${a}/postmortem`],
      [e, T0 - 40 * DAY, null, 'bad deploy', 'rollback of payment', `/api/incidents/${e}/postmortem`],
      [c, T0 - 2 * DAY, 120_000, null, 'raised the pool size to 50', null],
    ]);
    expect(similar[0]!.phases.resolve_ms).toBe(300_000);

    const text = formatIncidentDetails({ incident, timeline: [], alerts: [], affected: null, similar } satisfies IncidentDetails);
    expect(text).toContain('Last time');
    expect(text).toContain(`  #${a} 2026-11-17 12:00:00Z  MTTR 10m  incident`);
    expect(text).toContain('cause: connection pool exhausted   fix: kubernetes_rollout_restart (remediation restart-payment)');
  });

  it('at most five, and none for a first occurrence', async () => {
    const now = await insert({ status: 'open', detected_at: T0 });
    const older: number[] = [];
    for (let i = 1; i <= 7; i++) older.push(await insert({ detected_at: T0 - i * DAY }));
    const similar = await findSimilar(t.store.db, (await getIncident(t.store.db, now))!);
    expect(similar.map((s) => s.id)).toEqual(older.slice(0, 5));

    const first = await insert({ fingerprint: 'fp-new', alert_name: 'DiskFull', status: 'open', detected_at: T0 });
    expect(await findSimilar(t.store.db, (await getIncident(t.store.db, first))!)).toEqual([]);
  });
});

describe('last time this happened reads through its indexes', () => {
  // SQLite plans without statistics, so the plan it picks is the same on every machine: the point is
  // that each lookup seeks its index instead of walking every incident of the window.
  it('on SQLite: the fingerprint lookup and the alert-and-service lookup', async () => {
    const t = await openTestStore('sqlite');
    try {
      const id = (await insertIncident(t.store.db, incidentRow({ status: 'open', detected_at: T0 })))!.id;
      const [byFingerprint, byAlert] = similarLookups(t.store.db, (await getIncident(t.store.db, id))!);
      const plan = async (q: typeof byFingerprint) => {
        const c = q.compile();
        const rows = await t.store.db.executeQuery<{ detail: string }>(CompiledQuery.raw(`EXPLAIN QUERY PLAN ${c.sql}`, [...c.parameters]));
        return rows.rows.map((r) => r.detail).join(' | ');
      };
      expect(await plan(byFingerprint)).toMatch(/USING INDEX incidents_fingerprint_detected \(fingerprint=\? AND detected_at>\? AND detected_at<\?\)/);
      expect(await plan(byAlert!)).toMatch(/USING INDEX incidents_alert_service_detected \(alert_name=\? AND service=\? AND detected_at>\? AND detected_at<\?\)/);
    } finally {
      await t.cleanup();
    }
  });
});
