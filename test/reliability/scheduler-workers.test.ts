import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, describe, expect, it } from 'vitest';
import { Store } from '../../src/store/index.js';
import { launchAll, READY, writeConfig, type LaunchSpec, type MedicProcess } from '../helpers/cluster.js';
import { testDatabaseUrl } from '../helpers/stores.js';

/**
 * Three `medic worker` processes share 300 http monitors on one PostgreSQL schema. Read back from
 * check_results: every monitor runs once per interval, none twice in one slot, and when one worker is
 * killed with kill -9 its monitors go on from the other two within one lease time.
 */

const MONITORS = 300;
const INTERVAL_MS = 2000;
const LEASE_MS = 5000;
const EARLY_MS = 50;

describe('three workers, 300 monitors', () => {
  const procs: MedicProcess[] = [];
  let target: Server | undefined;
  let store: Store | undefined;
  afterAll(async () => {
    await Promise.all(procs.map((p) => p.kill9()));
    await store?.close();
    target?.closeAllConnections();
    await new Promise<void>((r) => (target ? target.close(() => r()) : r()));
  });

  it('runs every monitor every interval, none twice, and moves a killed worker’s monitors to the others', async () => {
    let hits = 0;
    target = createServer((_req, res) => {
      hits++;
      res.writeHead(200, { 'content-type': 'text/plain' }).end('ok');
    });
    await new Promise<void>((r) => target!.listen(0, '127.0.0.1', r));
    const base = `http://127.0.0.1:${(target.address() as AddressInfo).port}`;
    const { url } = testDatabaseUrl('postgres');
    const names = Array.from({ length: MONITORS }, (_, i) => `m-${String(i + 1).padStart(3, '0')}`);
    const { file } = writeConfig(
      [
        `storage: { url: "${url}" }`,
        `workers: { lease: ${LEASE_MS}ms, concurrency: 100 }`,
        'monitors:',
        ...names.map((n) => `  - { name: ${n}, type: http, url: "${base}/${n}", interval: ${INTERVAL_MS}ms, timeout: 1500ms, assert_status: 200 }`),
      ].join('\n'),
    );
    const workers = await launchAll(procs, [1, 2, 3].map((i) => [`worker-${i}`, ['worker', '-c', file], READY.worker] as LaunchSpec));

    // Steady state on three workers, then one dies without a word, then two carry on.
    await new Promise((r) => setTimeout(r, 2 * INTERVAL_MS));
    const steadyFrom = Date.now();
    await new Promise((r) => setTimeout(r, 3 * INTERVAL_MS));
    // What the victim holds as it dies: the runs it claimed (due within the claim's lookahead, or running).
    store = await Store.open({ url });
    const victim = String(workers[2]!.logs().find((l) => l.msg === 'scheduler started')?.worker);
    await workers[2]!.kill9();
    const killedAt = Date.now();
    const held = (await store.db.selectFrom('monitor_schedule').innerJoin('monitors', 'monitors.id', 'monitor_schedule.monitor_id').select('monitors.name as name').where('lease_owner', '=', victim).execute()).map((r) => r.name);
    await new Promise((r) => setTimeout(r, LEASE_MS + 3 * INTERVAL_MS));
    const until = Date.now();
    await Promise.all(workers.slice(0, 2).map((w) => w.stop()));
    expect(hits).toBeGreaterThan(0);

    const rows = await store.db
      .selectFrom('check_results')
      .innerJoin('monitors', 'monitors.id', 'check_results.monitor_id')
      .select(['monitors.name as name', 'check_results.started_at as at', 'check_results.status as status'])
      .where('check_results.started_at', '>=', steadyFrom - INTERVAL_MS)
      .orderBy('check_results.started_at')
      .execute();
    const runs = new Map<string, number[]>(names.map((n) => [n, []]));
    for (const r of rows) runs.get(r.name)!.push(Number(r.at));
    expect(rows.every((r) => r.status === 'up')).toBe(true);
    // Each monitor keeps to a grid (its first slot, then every interval); the schedule row's next run is
    // a point on it. Slot k of a monitor is [anchor + k·interval, anchor + (k+1)·interval).
    const anchors = new Map(
      (await store.db.selectFrom('monitor_schedule').innerJoin('monitors', 'monitors.id', 'monitor_schedule.monitor_id').select(['monitors.name as name', 'monitor_schedule.next_run_at as next']).execute()).map((r) => [r.name, Number(r.next)]),
    );

    const problems: string[] = [];
    let moved = 0; // held by the killed worker, and taken over in time
    // Slots wholly inside a window; the one the kill falls in, and the lease after it, belong to neither.
    const slotsWithin = (anchor: number, from: number, to: number) => {
      const out: number[] = [];
      for (let k = Math.ceil((from - anchor) / INTERVAL_MS); anchor + (k + 1) * INTERVAL_MS - EARLY_MS <= to; k++) out.push(k);
      return out;
    };
    for (const [name, times] of runs) {
      const anchor = anchors.get(name)!;
      // A timer may fire a millisecond before its due time: a run belongs to the slot it was due in.
      const slots = times.map((t) => Math.floor((t - anchor + EARLY_MS) / INTERVAL_MS));
      // None twice: one run per slot. (A run the dead worker held is run late by the worker that takes
      // it over, in the slot it is taken in; the monitor's next run is in the slot after.)
      const seen = new Set<number>();
      for (const [i, k] of slots.entries()) {
        if (seen.has(k)) problems.push(`${name} ran twice in slot ${k} (at ${times[i]! - steadyFrom} ms; kill at ${killedAt - steadyFrom} ms)`);
        seen.add(k);
      }
      // Every interval: all three workers alive; then from one lease (plus an interval and slack for the
      // claim) after the kill to the end.
      const expected = [...slotsWithin(anchor, steadyFrom, killedAt), ...slotsWithin(anchor, killedAt + LEASE_MS + INTERVAL_MS + 1500, until)];
      const missing = expected.filter((k) => !seen.has(k));
      if (missing.length > 0) problems.push(`${name} missed slots ${missing.map((k) => anchor + k * INTERVAL_MS - steadyFrom).join(', ')} ms (kill at ${killedAt - steadyFrom} ms)`);
      // The dead worker's monitors: nobody runs them while its lease holds (renewed every third of it,
      // so it runs out between two thirds of a lease and a lease after the kill), and the others take
      // them over as soon as it has run out.
      if (held.includes(name)) {
        const next = times.find((t) => t > killedAt);
        const earliest = killedAt + LEASE_MS - LEASE_MS / 3 - 300;
        const latest = killedAt + LEASE_MS + INTERVAL_MS + 1500;
        if (next === undefined || next < earliest || next > latest) problems.push(`${name}, held by the killed worker, ran next ${next === undefined ? 'never' : `${next - killedAt} ms after the kill`}`);
        else moved++;
      }
    }
    expect(problems.slice(0, 20)).toEqual([]);
    expect(held.length).toBeGreaterThan(0);
    expect(moved).toBe(held.length);
    for (const w of workers) expect(w.output()).toContain('scheduler started');
  }, 60_000);
});
