import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  acknowledge,
  addNote,
  incidentDetails,
  ingestAlerts,
  listIncidents,
  recordCause,
  resolveIncident,
  createSilence,
  getTimeline,
  IncidentActionError,
  type IncidentReactor,
} from '../../src/incidents/index.js';
import { Store } from '../../src/store/index.js';
import { alert, incidentContext, T0 } from '../helpers/incidents.js';
import { ENGINES, openTestStore, type TestStore } from '../helpers/stores.js';

const MIN = 60_000;
const SERVICES = `services:
  - { name: database }
  - { name: payment, depends_on: [database] }
  - { name: checkout, depends_on: [payment] }
`;

describe.each(ENGINES)('alert ingest on %s', (engine) => {
  let t: TestStore;
  beforeEach(async () => {
    t = await openTestStore(engine);
  });
  afterEach(async () => t?.cleanup());

  it('opens an incident: started_at from the alert, detected_at now, and a timeline', async () => {
    const { ctx } = incidentContext(t.store);
    const [r] = await ingestAlerts(ctx, [alert({ startsAt: T0 - 90_000, severity: 'P1', title: 'Payment errors' })], 'alertmanager');
    expect(r).toMatchObject({ outcome: 'opened' });
    const details = (await incidentDetails(t.store.db, ctx, r!.incidentId!))!;
    expect(details.incident).toMatchObject({
      status: 'open', title: 'Payment errors', service: 'payment', severity: 'P1', alertName: 'HighErrorRate',
      startedAt: T0 - 90_000, detectedAt: T0, phases: { detect_ms: 90_000, mttr_ms: null },
    });
    expect(details.timeline.map((e) => [e.type, e.actor])).toEqual([['opened', 'alertmanager'], ['alert_fired', 'alertmanager']]);
    expect(details.alerts).toHaveLength(1);
  });

  /**
   * Several connections racing: on PostgreSQL four pools; on SQLite the one connection a process has
   * (better-sqlite3 waits for a lock synchronously, so two connections in one process would block each
   * other's event loop; processes racing on one file are covered by the reliability tests).
   */
  const racingStores = async () =>
    engine === 'postgres' ? Promise.all(Array.from({ length: 4 }, () => Store.open({ url: t.url, poolSize: 4 }))) : [t.store];

  it('deduplicates by fingerprint: one incident; a new firing adds an event, a re-notification does not', async () => {
    const { ctx, clock } = incidentContext(t.store);
    const [a] = await ingestAlerts(ctx, [alert()], 'x');
    clock.advance(MIN);
    const [b] = await ingestAlerts(ctx, [alert()], 'x');
    expect(b).toMatchObject({ outcome: 'deduplicated', incidentId: a!.incidentId });
    expect((await listIncidents(t.store.db)).total).toBe(1);
    const fired = async () => (await getTimeline(t.store.db, a!.incidentId!)).filter((e) => e.type === 'alert_fired').length;
    expect(await fired()).toBe(1);
    // The same alert firing anew (it stopped, then started again) is news for the timeline.
    await ingestAlerts(ctx, [alert({ startsAt: T0 + MIN })], 'x');
    expect(await fired()).toBe(2);
    expect(await t.store.db.selectFrom('alerts').selectAll().execute()).toHaveLength(3);
  });

  it('groups alerts of a service within group_window, and not after it', async () => {
    const { ctx, clock } = incidentContext(t.store);
    const [a] = await ingestAlerts(ctx, [alert({ name: 'HighErrorRate' })], 'x');
    clock.advance(4 * MIN);
    const [b] = await ingestAlerts(ctx, [alert({ name: 'HighLatency' })], 'x');
    expect(b).toMatchObject({ outcome: 'grouped', incidentId: a!.incidentId });
    clock.advance(2 * MIN); // 6 min after the incident opened
    const [c] = await ingestAlerts(ctx, [alert({ name: 'DiskFull' })], 'x');
    expect(c!.outcome).toBe('opened');
  });

  it('groups by the configured labels', async () => {
    const { ctx } = incidentContext(t.store, 'incidents: { group_by: [service, region] }');
    const [a] = await ingestAlerts(ctx, [alert({ name: 'A', labels: { region: 'eu' } })], 'x');
    const [b] = await ingestAlerts(ctx, [alert({ name: 'B', labels: { region: 'eu' } })], 'x');
    const [c] = await ingestAlerts(ctx, [alert({ name: 'C', labels: { region: 'us' } })], 'x');
    expect(b).toMatchObject({ outcome: 'grouped', incidentId: a!.incidentId });
    expect(c!.outcome).toBe('opened');
  });

  it('joins an alert to its dependency’s open incident as a symptom, and shows the tree', async () => {
    const { ctx } = incidentContext(t.store, SERVICES);
    const [db] = await ingestAlerts(ctx, [alert({ name: 'DbDown', service: 'database' })], 'x');
    const [pay] = await ingestAlerts(ctx, [alert({ name: 'PaymentErrors', service: 'payment' })], 'x');
    const [chk] = await ingestAlerts(ctx, [alert({ name: 'CheckoutSlow', service: 'checkout' })], 'x');
    expect(pay).toMatchObject({ outcome: 'symptom', incidentId: db!.incidentId });
    expect(chk).toMatchObject({ outcome: 'symptom', incidentId: db!.incidentId });
    expect((await listIncidents(t.store.db)).total).toBe(1);
    const details = (await incidentDetails(t.store.db, ctx, db!.incidentId!))!;
    expect(details.affected).toEqual({
      service: 'database',
      alerts: [],
      affected: [{ service: 'payment', alerts: ['PaymentErrors'], affected: [{ service: 'checkout', alerts: ['CheckoutSlow'], affected: [] }] }],
    });
    expect(details.timeline.filter((e) => e.type === 'symptom_joined').map((e) => e.payload.service)).toEqual(['payment', 'checkout']);
  });

  it('suppresses a silenced alert: recorded, opens nothing', async () => {
    const { ctx } = incidentContext(t.store);
    await createSilence(t.store.db, { matchers: { service: 'payment', alertname: '/High.*/' }, startsAt: T0 - MIN, endsAt: T0 + MIN, comment: 'deploy', createdBy: 'me', source: 'api' }, T0);
    const [r] = await ingestAlerts(ctx, [alert()], 'x');
    expect(r).toEqual({ fingerprint: 'fp-HighErrorRate-payment', outcome: 'suppressed', incidentId: null });
    expect((await listIncidents(t.store.db)).total).toBe(0);
    const rows = await t.store.db.selectFrom('alerts').select(['status', 'silence_id']).execute();
    expect(rows).toEqual([{ status: 'suppressed', silence_id: expect.any(Number) }]);
  });

  it('resolves when the source says so, once every alert of the incident is resolved', async () => {
    const { ctx } = incidentContext(t.store);
    const [a] = await ingestAlerts(ctx, [alert({ name: 'A' }), alert({ name: 'B' })], 'x');
    const [r1] = await ingestAlerts(ctx, [alert({ name: 'A', status: 'resolved' })], 'x');
    expect(r1!.outcome).toBe('recorded');
    const [r2] = await ingestAlerts(ctx, [alert({ name: 'B', status: 'resolved' })], 'x');
    expect(r2).toMatchObject({ outcome: 'resolved', incidentId: a!.incidentId });
    const details = (await incidentDetails(t.store.db, ctx, a!.incidentId!))!;
    expect(details.incident).toMatchObject({ status: 'resolved', resolvedAt: T0 });
    expect(details.timeline.map((e) => e.type)).toContain('alert_resolved');
  });

  it('reopens an incident that fires again within reopen_window, opens a new one after', async () => {
    const { ctx, clock } = incidentContext(t.store);
    const [a] = await ingestAlerts(ctx, [alert()], 'x');
    await t.store.transaction(async (trx) => {
      const { appendEvents, getIncident } = await import('../../src/incidents/index.js');
      await appendEvents(trx, ctx, (await getIncident(trx, a!.incidentId!))!, [{ type: 'resolved', actor: 'x' }, { type: 'verified', actor: 'x' }]);
    });
    clock.advance(10 * MIN);
    const [b] = await ingestAlerts(ctx, [alert()], 'x');
    expect(b).toMatchObject({ outcome: 'reopened', incidentId: a!.incidentId });
    const reopened = (await incidentDetails(t.store.db, ctx, a!.incidentId!))!.incident;
    expect(reopened).toMatchObject({ status: 'reopened', reopenCount: 1, resolvedAt: null, verifiedAt: null });

    await ingestAlerts(ctx, [alert({ status: 'resolved' })], 'x');
    await t.store.transaction(async (trx) => {
      const { appendEvents, getIncident } = await import('../../src/incidents/index.js');
      await appendEvents(trx, ctx, (await getIncident(trx, a!.incidentId!))!, [{ type: 'verified', actor: 'x' }]);
    });
    clock.advance(31 * MIN);
    const [c] = await ingestAlerts(ctx, [alert()], 'x');
    expect(c!.outcome).toBe('opened');
    expect(c!.incidentId).not.toBe(a!.incidentId);
  });

  it('raises the incident severity when a more severe alert joins', async () => {
    const { ctx } = incidentContext(t.store);
    const [a] = await ingestAlerts(ctx, [alert({ name: 'A', severity: 'P3' })], 'x');
    await ingestAlerts(ctx, [alert({ name: 'B', severity: 'P1' })], 'x');
    expect((await incidentDetails(t.store.db, ctx, a!.incidentId!))!.incident.severity).toBe('P1');
  });

  it('keeps secrets out of the timeline and the alerts table', async () => {
    const { ctx } = incidentContext(t.store, '', { secrets: ['s3cr3t-value'] });
    const [a] = await ingestAlerts(ctx, [alert({ title: 'leak s3cr3t-value', labels: { token: 's3cr3t-value' }, annotations: { x: 'a s3cr3t-value' } })], 'x');
    const dump = JSON.stringify([
      await t.store.db.selectFrom('incident_events').selectAll().execute(),
      await t.store.db.selectFrom('alerts').selectAll().execute(),
      await t.store.db.selectFrom('incidents').selectAll().execute(),
    ]);
    expect(dump).not.toContain('s3cr3t-value');
    expect(a!.outcome).toBe('opened');
  });

  it('records nothing when a batch fails part-way', async () => {
    const { ctx } = incidentContext(t.store);
    const failing: IncidentReactor = { name: 'boom', onEvents: async (_db, _i, events) => { if (events.some((e) => 'alert' in e.payload && e.payload.alert === 'B')) throw new Error('boom'); } };
    ctx.reactors.push(failing);
    await expect(ingestAlerts(ctx, [alert({ name: 'A', service: 'one' }), alert({ name: 'B', service: 'two' })], 'x')).rejects.toThrow('boom');
    expect(await t.store.db.selectFrom('alerts').selectAll().execute()).toEqual([]);
    expect(await t.store.db.selectFrom('incidents').selectAll().execute()).toEqual([]);
  });

  it('lets reactors enqueue work in the same transaction', async () => {
    const seen: string[] = [];
    const { ctx } = incidentContext(t.store, '', { reactors: [{ name: 'spy', onEvents: async (_db, i, events) => void seen.push(...events.map((e) => `${i.id}:${e.type}`)) }] });
    const [a] = await ingestAlerts(ctx, [alert()], 'x');
    expect(seen).toEqual([`${a!.incidentId}:opened`, `${a!.incidentId}:alert_fired`]);
  });

  it('opens one incident when the same alert arrives on many connections at once', async () => {
    const stores = await racingStores();
    try {
      const results = await Promise.all(
        Array.from({ length: 24 }, (_, i) => ingestAlerts(incidentContext(stores[i % stores.length]!).ctx, [alert({ fingerprint: 'race', name: `Race${i % 3}` })], `w${i}`)),
      );
      const outcomes = results.flat();
      expect(outcomes.filter((r) => r.outcome === 'opened')).toHaveLength(1);
      expect(new Set(outcomes.map((r) => r.incidentId)).size).toBe(1);
      expect((await listIncidents(t.store.db)).total).toBe(1);
      expect(await t.store.db.selectFrom('alerts').selectAll().execute()).toHaveLength(24);
    } finally {
      await Promise.all(stores.filter((s) => s !== t.store).map((s) => s.close()));
    }
  });

  it('opens one incident for a group when its alerts race', async () => {
    const stores = await racingStores();
    try {
      const results = await Promise.all(
        Array.from({ length: 12 }, (_, i) => ingestAlerts(incidentContext(stores[i % stores.length]!).ctx, [alert({ name: `Symptom${i}` })], `w${i}`)),
      );
      expect(results.flat().filter((r) => r.outcome === 'opened')).toHaveLength(1);
      expect((await listIncidents(t.store.db)).total).toBe(1);
    } finally {
      await Promise.all(stores.filter((s) => s !== t.store).map((s) => s.close()));
    }
  });
});

describe.each(ENGINES)('responder actions on %s', (engine) => {
  let t: TestStore;
  beforeEach(async () => {
    t = await openTestStore(engine);
  });
  afterEach(async () => t?.cleanup());

  it('acknowledge, cause, note and resolve move the incident and its phases', async () => {
    const { ctx, clock } = incidentContext(t.store);
    const [a] = await ingestAlerts(ctx, [alert({ startsAt: T0 - MIN })], 'x');
    const id = a!.incidentId!;
    clock.advance(MIN);
    expect((await acknowledge(ctx, id, 'alice')).status).toBe('acknowledged');
    await expect(acknowledge(ctx, id, 'alice')).rejects.toBeInstanceOf(IncidentActionError);
    clock.advance(4 * MIN);
    expect((await recordCause(ctx, id, 'connection pool exhausted', 'alice')).diagnosedAt).toBe(T0 + 5 * MIN);
    await addNote(ctx, id, 'raising the pool size', 'bob');
    clock.advance(5 * MIN);
    const resolved = await resolveIncident(ctx, id, 'pool raised', 'bob');
    expect(resolved).toMatchObject({ status: 'resolved', cause: 'connection pool exhausted', resolvedAt: T0 + 10 * MIN, phases: { detect_ms: MIN, diagnose_ms: 5 * MIN, resolve_ms: 5 * MIN, verify_ms: 0, mttr_ms: 11 * MIN } });
    await expect(resolveIncident(ctx, id, undefined, 'bob')).rejects.toThrow(/already resolved/);
    await expect(acknowledge(ctx, 999, 'x')).rejects.toThrow(/no incident 999/);
    const events = await getTimeline(t.store.db, id);
    expect(events.map((e) => `${e.type}:${e.actor}`)).toEqual(['opened:x', 'alert_fired:x', 'acknowledged:alice', 'cause_identified:alice', 'note:bob', 'resolved:bob']);
  });
});
