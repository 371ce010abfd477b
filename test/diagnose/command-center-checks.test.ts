import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkAggregates } from '../../src/diagnose/command-center/checks.js';
import { timeWindow } from '../../src/diagnose/command-center/window.js';
import { insertMonitor, insertResults } from '../helpers/command-center.js';
import { ENGINES, openTestStore, type TestStore } from '../helpers/stores.js';

/**
 * The command center's check figures come from several indexes (the window's covering index, the
 * partial index of failed runs, each monitor's range, the monitors' last runs) and the engine's own
 * percentile. Here they are worked out again the plain way, from every row in JavaScript, over worlds
 * made at random: failures, runs on the windows' very edges, monitors without a service, disabled ones,
 * and services that ran only in the window before.
 */

const MIN = 60_000;
type Status = 'up' | 'degraded' | 'down';

function random(seed: number) {
  let x = seed;
  return () => {
    x = (x * 1103515245 + 12345) % 2147483648;
    return x / 2147483648;
  };
}

/** percentile_cont by the book. */
function p95(values: number[]): number | null {
  const sorted = [...values].sort((a, b) => a - b);
  if (sorted.length === 0) return null;
  const position = 0.95 * (sorted.length - 1);
  const lo = Math.floor(position);
  const hi = Math.ceil(position);
  return lo === hi ? sorted[lo]! : sorted[lo]! + (position - lo) * (sorted[hi]! - sorted[lo]!);
}

describe.each(ENGINES)('command center check figures on %s', (engine) => {
  let t: TestStore;
  beforeAll(async () => {
    t = await openTestStore(engine);
  });
  afterAll(async () => t?.cleanup());

  it.each([1, 2, 3, 4])('equal those computed from every row (world %i)', async (seed) => {
    const db = t.store.db;
    await db.deleteFrom('check_results').execute();
    await db.deleteFrom('monitor_schedule').execute();
    await db.deleteFrom('monitors').execute();
    const next = random(seed);
    const now = 1_800_000_000_000 + seed * 3_600_000;
    const w = timeWindow(now);
    const services = ['alpha', 'beta', 'gamma', 'delta', 'epsilon', 'zeta', null];
    const monitors: { id: number; service: string | null; lastRunAt: number | null }[] = [];
    const rows: { monitor: number; at: number; status: Status; ms: number }[] = [];
    // Times on and around the edges of both windows, and inside them.
    const edges = [w.previousStart - 1, w.previousStart, w.start - 1, w.start, w.end - 1, w.end];
    for (let i = 0; i < 16; i++) {
      const service = services[Math.floor(next() * services.length)]!;
      const failing = next() < 0.3;
      const id = await insertMonitor(db, { name: `m${i}`, service, status: failing ? 'down' : 'up', enabled: next() > 0.1 }, now);
      // Some monitors last ran before the window (they ran only in the one before, or not at all).
      const lastRunAt = next() < 0.2 ? w.start - MIN : next() < 0.1 ? null : now - 30_000;
      await db.updateTable('monitors').set({ last_run_at: lastRunAt }).where('id', '=', id).execute();
      monitors.push({ id, service, lastRunAt });
      const runs: [number, Status, number][] = [];
      for (let k = 0; k < 12; k++) {
        const at = next() < 0.3 ? edges[Math.floor(next() * edges.length)]! : w.previousStart - MIN + Math.floor(next() * 12 * MIN);
        const status: Status = next() < (failing ? 0.5 : 0.08) ? 'down' : next() < 0.1 ? 'degraded' : 'up';
        runs.push([at, status, Math.round(next() * 2_000_000) / 1000]);
      }
      await insertResults(db, id, runs);
      rows.push(...runs.map(([at, status, ms]) => ({ monitor: id, at, status, ms })));
    }

    const serviceOf = new Map(monitors.map((m) => [m.id, m.service]));
    const inRange = (from: number, to: number) => rows.filter((r) => r.at >= from && r.at < to);
    const overall = (from: number, to: number) => {
      const list = inRange(from, to);
      return { runs: list.length, failed: list.filter((r) => r.status === 'down').length, p95: p95(list.map((r) => r.ms)) };
    };
    const count = (list: typeof rows, service: string | null) => list.filter((r) => serviceOf.get(r.monitor) === service);
    const now_ = inRange(w.start, w.end);
    const before = inRange(w.previousStart, w.start);
    const failingNow = new Set<string | null>(now_.filter((r) => r.status === 'down').map((r) => serviceOf.get(r.monitor) ?? null));
    const ran = new Map<string | null, number>();
    for (const m of monitors) if (m.lastRunAt !== null && m.lastRunAt >= w.start) ran.set(m.service, (ran.get(m.service) ?? 0) + 1);
    const key = (s: string | null) => s ?? '';

    for (const limit of [2, 10]) {
      const others = [...ran].filter(([s]) => !failingNow.has(s)).sort((a, b) => b[1] - a[1] || (key(a[0]) < key(b[0]) ? -1 : key(a[0]) > key(b[0]) ? 1 : 0));
      const shown = [...failingNow, ...others.slice(0, Math.max(0, limit - failingNow.size)).map(([s]) => s)];
      const expected = shown
        .filter((s) => count(now_, s).length > 0)
        .map((s) => ({
          service: s,
          runs: count(now_, s).length,
          failed: count(now_, s).filter((r) => r.status === 'down').length,
          previous: { runs: count(before, s).length, failed: count(before, s).filter((r) => r.status === 'down').length },
        }));
      const got = await checkAggregates(t.store, w, limit);
      const byService = (a: { service: string | null }, b: { service: string | null }) => (key(a.service) < key(b.service) ? -1 : 1);
      expect(got.current).toEqual(overall(w.start, w.end));
      expect(got.previous).toEqual(overall(w.previousStart, w.start));
      expect([...got.services].sort(byService)).toEqual(expected.sort(byService));
      expect(got.servicesRan.map(key).sort()).toEqual([...new Set([...ran.keys(), ...failingNow])].map(key).sort());
    }
  });
});
