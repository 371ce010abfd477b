import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfigText } from '../../../src/config/index.js';
import { StatusPageService, type RollupRow, type Snapshot, type StatusPage } from '../../../src/notify/status-page/index.js';
import { DailyRollups, readMonitors } from '../../../src/notify/status-page/read.js';
import { fromWireRollups } from '../../../src/notify/status-page/wire.js';
import { pruneResults } from '../../../src/detect/scheduler/schedule-store.js';
import { ManualClock } from '../../../src/shared/clock.js';
import { insertMonitor } from '../../helpers/command-center.js';
import { insertRollups } from '../../helpers/status-page.js';
import { openTestStore, type TestStore } from '../../helpers/stores.js';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

/** How long answers are kept: a few seconds, dropped at once by an incident change, not by check results. */
describe('StatusPageService keeps its answer', () => {
  let s: TestStore;
  let monitorId: number;
  const clock = new ManualClock(Date.UTC(2026, 10, 27, 12));
  const listeners = new Set<(kind: string) => void>();
  const changes = { subscribe: (l: (kind: string) => void) => (listeners.add(l), () => listeners.delete(l)) };
  const emit = (kind: string) => listeners.forEach((l) => l(kind));
  const { config } = loadConfigText('services: [{ name: checkout }]\nstatus_page: { services: [checkout], history: 7d }\n', { env: {} });
  let service: StatusPageService;

  beforeAll(async () => {
    s = await openTestStore('sqlite');
    monitorId = await insertMonitor(s.store.db, { name: 'Checkout API', service: 'checkout', status: 'up' }, clock.now());
    await insertRollups(s.store.db, monitorId, clock.now(), 7);
    service = new StatusPageService({ store: s.store, page: config.status_page!, clock, changes, ttlMs: 5000, staleMs: 60_000 });
  });
  afterAll(async () => {
    service?.stop();
    await s?.cleanup();
  });

  const setStatus = (status: string) => s.store.db.updateTable('monitors').set({ status }).where('id', '=', monitorId).execute();
  /** The page's data, as the JSON rendering (the page itself stays in the render worker). */
  const pageOf = async (snapshot: Snapshot): Promise<StatusPage> => JSON.parse((await snapshot.json()).body.toString());
  const state = async () => (await pageOf(await service.get())).services[0]!.state;
  /** The next answer that is not `before`, letting the computation in the background finish. */
  const nextAfter = async (before: Snapshot) => {
    let next = before;
    for (let i = 0; i < 500 && next === before; i++) {
      await new Promise((r) => setTimeout(r, 10));
      next = await service.get();
    }
    return next;
  };

  it('serves one computation for ttl, ignores check results meanwhile, then recomputes in the background', async () => {
    const first = await service.get();
    expect((await pageOf(first)).services[0]!.state).toBe('operational');
    expect(await first.html()).toBe(await first.html());
    await setStatus('down');
    emit('checks');
    clock.advance(4_999);
    expect(await service.get()).toBe(first);
    clock.advance(1);
    // Past the ttl: the kept answer still, while the next one is computed.
    expect(await service.get()).toBe(first);
    const next = await nextAfter(first);
    expect(next).not.toBe(first);
    // What was rendered of the one before was rendered again, ahead of the requests.
    expect((next as unknown as { made: Map<string, unknown> }).made.has('html')).toBe(true);
    expect((await pageOf(next)).services[0]!.state).toBe('major_outage');
  });

  it('recomputes at once when an incident changes, serving the kept answer until the new one is made', async () => {
    const before = await service.get();
    await setStatus('degraded');
    emit('incidents');
    // Within the ttl, yet no request waits: the kept answer is served while the new one is computed.
    expect(await service.get()).toBe(before);
    expect((await pageOf(await nextAfter(before))).services[0]!.state).toBe('degraded');
  });

  it('reads an hour that ended over an hour ago once: later roll-ups of it are not read again, the last two hours\' are', async () => {
    const rollups = new DailyRollups();
    const { services } = await readMonitors(s.store, ['checkout']);
    const now = clock.now();
    const today = now - (now % DAY);
    const first = today - 6 * DAY;
    const read = async (at: number) => {
      const r = await rollups.read(s.store, services, first, at);
      return { settled: r.settled, rows: [...fromWireRollups(r.settled.rows), ...r.fresh] };
    };
    const sum = (rows: RollupRow[], day: number) => rows.filter((r) => r.hour === day).reduce((n, r) => n + r.runs, 0);
    const before = await read(now);
    const runs = (hour: number, n: number) => s.store.db.updateTable('check_rollups').set({ runs: n }).where('hour', '=', hour).execute();
    await runs(first + HOUR, 1000);
    await runs(today, 1000);
    // Ended less than an hour ago: still read each time.
    await runs(now - (now % HOUR) - HOUR, 70);
    const after = await read(now);
    expect(sum(after.rows, first)).toBe(sum(before.rows, first));
    expect(sum(after.rows, today)).toBe(sum(before.rows, today) + 10);
    // Nothing settled since: the same columns, handed to the render worker once.
    expect(after.settled).toBe(before.settled);
    // Two hours on, the last hours settle, each added once.
    const later = await read(now + 2 * HOUR);
    expect(sum(later.rows, today)).toBe(sum(before.rows, today) + 10);
    expect(later.settled.version).toBe(before.settled.version + 1);
  });

  it('does not serve an answer older than staleMs: a request after a quiet spell waits for a new one', async () => {
    await setStatus('up');
    clock.advance(60_000);
    expect(await state()).toBe('operational');
  });
});

describe('roll-ups outlive check results for the status page', () => {
  it('pruning deletes results older than their retention and roll-ups only past the longer history', async () => {
    const s = await openTestStore('sqlite');
    try {
      const now = Date.UTC(2026, 10, 27, 12);
      const id = await insertMonitor(s.store.db, { name: 'm', service: 'checkout', status: 'up' }, now);
      await insertRollups(s.store.db, id, now, 90);
      const old = now - 60 * DAY;
      await s.store.db.insertInto('check_results').values({ monitor_id: id, started_at: old, duration_ms: 5, status: 'up', error: null, timings: '{}', details: '[]', trace_id: null }).execute();
      await pruneResults(s.store.db, now - 30 * DAY, now - 90 * DAY);
      expect(await s.store.db.selectFrom('check_results').select('id').execute()).toEqual([]);
      const hours = await s.store.db.selectFrom('check_rollups').select((eb) => eb.fn.min('hour').as('first')).executeTakeFirstOrThrow();
      expect(Number(hours.first)).toBe(now - (now % DAY) - 89 * DAY);
    } finally {
      await s.cleanup();
    }
  });
});
