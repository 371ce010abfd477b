import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  activeByFingerprint,
  activeByFingerprints,
  activeById,
  activeInGroups,
  insertIncident,
  lastClosed,
  lockIncidents,
  lockOpenForService,
  openForService,
  type Incident,
} from '../../src/incidents/index.js';
import { Store, type NewRow } from '../../src/store/index.js';
import { T0 } from '../helpers/incidents.js';
import { ENGINES, openTestStore, type TestStore } from '../helpers/stores.js';

const MIN = 60_000;

let n = 0;
function row(overrides: Partial<NewRow<'incidents'>> = {}): NewRow<'incidents'> {
  n++;
  return {
    fingerprint: `fp-${n}`,
    title: `incident ${n}`,
    service: 'payment',
    severity: 'P2',
    labels: '{}',
    status: 'open',
    source: 'webhook',
    alert_name: 'HighErrorRate',
    group_key: null,
    detected_at: T0,
    created_at: T0,
    updated_at: T0,
    ...overrides,
  };
}

const ids = (incidents: Incident[]) => incidents.map((i) => i.id);

describe.each(ENGINES)('the incidents table on %s', (engine) => {
  let t: TestStore;
  beforeEach(async () => {
    t = await openTestStore(engine);
  });
  afterEach(async () => t?.cleanup());

  const insert = async (overrides: Partial<NewRow<'incidents'>> = {}) => (await insertIncident(t.store.db, row(overrides)))!.id;

  /** Payment incidents in every status, detected later the earlier they opened (order is by id, not time). */
  async function seedPayment() {
    const statuses = ['open', 'closed', 'acknowledged', 'mitigating', 'resolved', 'verifying', 'reopened'];
    const byStatus: Record<string, number> = {};
    for (const [i, status] of statuses.entries()) byStatus[status] = await insert({ status, detected_at: T0 - i * MIN, ...(status === 'closed' ? { closed_at: T0 } : {}) });
    const other = await insert({ service: 'checkout' });
    return { byStatus, other, active: statuses.filter((s) => s !== 'closed').map((s) => byStatus[s]!) };
  }

  it('openForService: every status but closed, of that service only, oldest or newest first by id', async () => {
    const { active } = await seedPayment();
    expect(ids(await openForService(t.store.db, 'payment', { order: 'oldest' }))).toEqual(active);
    expect(ids(await openForService(t.store.db, 'payment', { order: 'newest' }))).toEqual([...active].reverse());
    expect(await openForService(t.store.db, 'search', { order: 'newest' })).toEqual([]);
  });

  it('lockOpenForService and lockIncidents: the incidents in id order, each once, unknown ids left out', async () => {
    const { active, other, byStatus } = await seedPayment();
    await t.store.transaction(async (trx) => {
      expect(ids(await lockOpenForService(trx, { store: t.store }, 'payment'))).toEqual(active);
      const wanted = [other, byStatus.closed!, 999_999, byStatus.open!, other];
      expect(ids(await lockIncidents(trx, { store: t.store }, wanted))).toEqual([byStatus.open!, byStatus.closed!, other]);
    });
  });

  it('active by fingerprint and by id leave closed incidents out', async () => {
    const closed = await insert({ fingerprint: 'same', status: 'closed', closed_at: T0 - MIN });
    const open = await insert({ fingerprint: 'same', status: 'verifying' });
    const other = await insert({ fingerprint: 'other', status: 'closed', closed_at: T0 });
    expect(ids(await activeByFingerprints(t.store.db, { store: t.store }, ['same', 'other', 'none']))).toEqual([open]);
    expect((await activeByFingerprint(t.store.db, 'same'))?.id).toBe(open);
    expect(await activeByFingerprint(t.store.db, 'other')).toBeUndefined();
    expect((await activeById(t.store.db, open))?.id).toBe(open);
    expect(await activeById(t.store.db, closed)).toBeUndefined();
    expect(await activeById(t.store.db, other)).toBeUndefined();
  });

  it("activeInGroups: each group's oldest active incident detected since the given time", async () => {
    await insert({ group_key: 'region=eu', detected_at: T0 - 10 * MIN });
    await insert({ group_key: 'region=eu', status: 'closed', detected_at: T0, closed_at: T0 });
    const first = await insert({ group_key: 'region=eu', status: 'resolved', detected_at: T0 - 2 * MIN });
    await insert({ group_key: 'region=eu', detected_at: T0 - 3 * MIN });
    const us = await insert({ group_key: 'region=us', detected_at: T0 });
    const groups = await activeInGroups(t.store.db, { store: t.store }, ['region=eu', 'region=us', 'region=ap'], T0 - 5 * MIN);
    expect([...groups].map(([key, i]) => [key, i.id]).sort()).toEqual([['region=eu', first], ['region=us', us]]);
    expect([...(await activeInGroups(t.store.db, { store: t.store }, ['region=eu'], T0 + 1)).keys()]).toEqual([]);
  });

  it('lastClosed: the incident of the fingerprint closed last, when it closed since the given time', async () => {
    await insert({ fingerprint: 'fp', status: 'closed', closed_at: T0 - 2 * MIN });
    const latest = await insert({ fingerprint: 'fp', status: 'closed', closed_at: T0 - MIN });
    await insert({ fingerprint: 'fp', status: 'closed', closed_at: T0 - 3 * MIN });
    expect((await lastClosed(t.store.db, 'fp', T0 - 5 * MIN))?.id).toBe(latest);
    expect(await lastClosed(t.store.db, 'fp', T0)).toBeUndefined();
  });

  it('insertIncident: nothing while the fingerprint has an active incident, a new one once that is closed', async () => {
    const first = await insert({ fingerprint: 'fp' });
    expect(await insertIncident(t.store.db, row({ fingerprint: 'fp' }))).toBeUndefined();
    await t.store.db.updateTable('incidents').set({ status: 'closed', closed_at: T0 }).where('id', '=', first).execute();
    const second = await insertIncident(t.store.db, row({ fingerprint: 'fp' }));
    expect(second).toMatchObject({ fingerprint: 'fp', status: 'open' });
    expect(second!.id).not.toBe(first);
  });
});

describe('the incidents table on postgres, under lock', () => {
  let t: TestStore;
  let other: Store | undefined;
  beforeEach(async () => {
    t = await openTestStore('postgres');
  });
  afterEach(async () => {
    await other?.close();
    await t?.cleanup();
  });

  it('lockOpenForService holds the rows until the transaction ends', async () => {
    const id = (await insertIncident(t.store.db, row({ service: 'payment' })))!.id;
    other = await Store.open({ url: t.url });
    const tryLock = () => other!.transaction((trx) => lockIncidents(trx, { store: other! }, [id]).then(ids));
    await t.store.transaction(async (trx) => {
      await lockOpenForService(trx, { store: t.store }, 'payment');
      // Another connection asking for the row gives up at once instead of waiting (lock_not_available).
      await expect(other!.transaction(async (o) => o.selectFrom('incidents').select('id').where('id', '=', id).forUpdate().noWait().execute())).rejects.toMatchObject({ code: '55P03' });
    });
    expect(await tryLock()).toEqual([id]);
  });
});
