import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { JobQueue } from '../../src/store/index.js';
import { ENGINES, openTestStore, type TestStore } from '../helpers/stores.js';

const T0 = Date.UTC(2026, 10, 27, 12);

describe.each(ENGINES)('job queue on %s', (engine) => {
  let t: TestStore;
  let q: JobQueue;
  beforeEach(async () => {
    t = await openTestStore(engine);
    q = new JobQueue(t.store.dialect);
  });
  afterEach(async () => t?.cleanup());

  it('enqueues inside the caller transaction, and a rollback leaves no job', async () => {
    await t.store
      .transaction(async (trx) => {
        await q.enqueue(trx, { kind: 'notify', payload: { a: 1 } }, T0);
        throw new Error('rolled back');
      })
      .catch(() => undefined);
    expect(await q.list(t.store.db)).toEqual([]);
    await t.store.transaction((trx) => q.enqueue(trx, { kind: 'notify', payload: { a: 1 } }, T0));
    expect((await q.list(t.store.db)).map((j) => j.payload)).toEqual([{ a: 1 }]);
  });

  it('enqueues a given idempotency key once', async () => {
    const first = await q.enqueue(t.store.db, { kind: 'notify', idempotencyKey: 'incident-1-opened' }, T0);
    const second = await q.enqueue(t.store.db, { kind: 'notify', idempotencyKey: 'incident-1-opened' }, T0);
    expect(first).toBeTypeOf('number');
    expect(second).toBeUndefined();
    expect(await q.list(t.store.db)).toHaveLength(1);
  });

  it('claims only due jobs, in run_at order, with a lease', async () => {
    await q.enqueue(t.store.db, { kind: 'b', runAt: T0 + 10 }, T0);
    await q.enqueue(t.store.db, { kind: 'a', runAt: T0 }, T0);
    await q.enqueue(t.store.db, { kind: 'later', runAt: T0 + 60_000 }, T0);
    const claimed = await q.claim(t.store.db, { owner: 'w1', now: T0 + 10, leaseMs: 5000, limit: 10 });
    expect(claimed.map((j) => j.kind)).toEqual(['a', 'b']);
    expect(claimed.every((j) => j.status === 'running' && j.leaseOwner === 'w1' && j.leaseUntil === T0 + 5010 && j.attempts === 1)).toBe(true);
    // Claimed jobs are not handed out again while the lease holds.
    expect(await q.claim(t.store.db, { owner: 'w2', now: T0 + 20, leaseMs: 5000, limit: 10 })).toEqual([]);
  });

  it('runs jobs of one sequence key one at a time, in the order they were enqueued', async () => {
    const first = (await q.enqueue(t.store.db, { kind: 'notify', payload: { n: 1 }, sequenceKey: 'incident-1:slack' }, T0))!;
    await q.enqueue(t.store.db, { kind: 'notify', payload: { n: 2 }, sequenceKey: 'incident-1:slack' }, T0);
    await q.enqueue(t.store.db, { kind: 'notify', payload: { n: 3 }, sequenceKey: 'incident-1:email' }, T0);
    await q.enqueue(t.store.db, { kind: 'notify', payload: { n: 4 } }, T0);
    // Everything is due, but the second slack job waits for the first.
    const [a, ...rest] = await q.claim(t.store.db, { owner: 'w1', now: T0, leaseMs: 5000, limit: 10 });
    expect([a, ...rest].map((j) => (j!.payload as { n: number }).n)).toEqual([1, 3, 4]);
    for (const j of rest) await q.complete(t.store.db, j, 'w1', T0 + 1);
    expect(await q.claim(t.store.db, { owner: 'w2', now: T0 + 1, leaseMs: 5000, limit: 10 })).toEqual([]);
    // A retry keeps it waiting: the earlier job is pending again, with a backoff.
    expect(await q.fail(t.store.db, a!, 'w1', 'receiver down', T0 + 2, 1000)).toBe('pending');
    expect(await q.claim(t.store.db, { owner: 'w2', now: T0 + 3, leaseMs: 5000, limit: 10 })).toEqual([]);
    const [again] = await q.claim(t.store.db, { owner: 'w2', now: T0 + 60_000, leaseMs: 5000, limit: 10 });
    expect(again?.id).toBe(first);
    expect(await q.complete(t.store.db, again!, 'w2', T0 + 60_001)).toBe(true);
    const next = await q.claim(t.store.db, { owner: 'w2', now: T0 + 60_002, leaseMs: 5000, limit: 10 });
    expect(next.map((j) => (j.payload as { n: number }).n)).toEqual([2]);
  });

  it('lets the next job of a sequence run once the earlier one failed for good', async () => {
    await q.enqueue(t.store.db, { kind: 'notify', payload: { n: 1 }, sequenceKey: 'k', maxAttempts: 1 }, T0);
    await q.enqueue(t.store.db, { kind: 'notify', payload: { n: 2 }, sequenceKey: 'k' }, T0);
    const [a] = await q.claim(t.store.db, { owner: 'w1', now: T0, leaseMs: 5000, limit: 10 });
    expect(await q.fail(t.store.db, a!, 'w1', 'gone', T0 + 1)).toBe('failed');
    const next = await q.claim(t.store.db, { owner: 'w1', now: T0 + 2, leaseMs: 5000, limit: 10 });
    expect(next.map((j) => (j.payload as { n: number }).n)).toEqual([2]);
  });

  it('filters by kind', async () => {
    await q.enqueue(t.store.db, { kind: 'notify' }, T0);
    await q.enqueue(t.store.db, { kind: 'runbook' }, T0);
    const claimed = await q.claim(t.store.db, { owner: 'w1', now: T0, leaseMs: 5000, limit: 10, kinds: ['runbook'] });
    expect(claimed.map((j) => j.kind)).toEqual(['runbook']);
  });

  it('completes a job only for the lease owner', async () => {
    const id = (await q.enqueue(t.store.db, { kind: 'x' }, T0))!;
    const [job] = await q.claim(t.store.db, { owner: 'w1', now: T0, leaseMs: 5000, limit: 1 });
    expect(await q.complete(t.store.db, job!, 'w2', T0 + 1)).toBe(false);
    expect(await q.complete(t.store.db, job!, 'w1', T0 + 1)).toBe(true);
    expect((await q.get(t.store.db, id))?.status).toBe('done');
    expect(await q.claim(t.store.db, { owner: 'w1', now: T0 + 10_000, leaseMs: 5000, limit: 1 })).toEqual([]);
  });

  it('retries a failed job with exponential backoff, then gives up', async () => {
    const id = (await q.enqueue(t.store.db, { kind: 'x', maxAttempts: 3 }, T0))!;
    let now = T0;
    const statuses: (string | undefined)[] = [];
    for (let i = 0; i < 3; i++) {
      const [job] = await q.claim(t.store.db, { owner: 'w1', now, leaseMs: 5000, limit: 1 });
      expect(job?.attempts).toBe(i + 1);
      statuses.push(await q.fail(t.store.db, job!, 'w1', `boom ${i}`, now, 1000));
      const after = await q.get(t.store.db, id);
      // Doubling from the 1 s base: 1 s after the first failure, 2 s after the second.
      if (i < 2) expect(after?.runAt).toBe(now + [1000, 2000][i]!);
      now = after!.runAt;
      // Not due before its backoff has passed.
      if (i < 2) expect(await q.claim(t.store.db, { owner: 'w1', now: now - 1, leaseMs: 5000, limit: 1 })).toEqual([]);
    }
    expect(statuses).toEqual(['pending', 'pending', 'failed']);
    const job = await q.get(t.store.db, id);
    expect(job).toMatchObject({ status: 'failed', attempts: 3, lastError: 'boom 2' });
  });

  it('hands a dead worker’s job to another once its lease expires', async () => {
    const id = (await q.enqueue(t.store.db, { kind: 'x' }, T0))!;
    const [dead] = await q.claim(t.store.db, { owner: 'dead', now: T0, leaseMs: 5000, limit: 1 });
    expect(await q.claim(t.store.db, { owner: 'alive', now: T0 + 4999, leaseMs: 5000, limit: 1 })).toEqual([]);
    const [job] = await q.claim(t.store.db, { owner: 'alive', now: T0 + 5001, leaseMs: 5000, limit: 1 });
    expect(job).toMatchObject({ id, leaseOwner: 'alive', attempts: 2 });
    // The dead worker, if it comes back, can no longer complete it.
    expect(await q.complete(t.store.db, dead!, 'dead', T0 + 5002)).toBe(false);
  });

  it('drops the late outcome of an attempt whose lease lapsed, even when the same worker claimed the job again', async () => {
    const id = (await q.enqueue(t.store.db, { kind: 'x' }, T0))!;
    const [first] = await q.claim(t.store.db, { owner: 'w1', now: T0, leaseMs: 5000, limit: 1 });
    const [second] = await q.claim(t.store.db, { owner: 'w1', now: T0 + 5001, leaseMs: 5000, limit: 1 });
    expect(second).toMatchObject({ id, attempts: 2 });
    expect(second!.leaseToken).not.toBe(first!.leaseToken);
    // The first attempt finishes late: none of its outcomes lands on the attempt now running.
    expect(await q.renew(t.store.db, first!, 'w1', T0 + 20_000, T0 + 5002)).toBe(false);
    expect(await q.fail(t.store.db, first!, 'w1', 'late', T0 + 5002)).toBeUndefined();
    expect(await q.defer(t.store.db, first!, 'w1', T0 + 60_000, T0 + 5002)).toBe(false);
    expect(await q.complete(t.store.db, first!, 'w1', T0 + 5002)).toBe(false);
    expect(await q.get(t.store.db, id)).toMatchObject({ status: 'running', attempts: 2, leaseUntil: T0 + 10_001, lastError: null });
    expect(await q.complete(t.store.db, second!, 'w1', T0 + 5003)).toBe(true);
    expect((await q.get(t.store.db, id))?.status).toBe('done');
  });

  it('fails a job whose last attempt’s lease expired instead of running it again', async () => {
    const id = (await q.enqueue(t.store.db, { kind: 'x', maxAttempts: 1 }, T0))!;
    await q.claim(t.store.db, { owner: 'dead', now: T0, leaseMs: 1000, limit: 1 });
    expect(await q.claim(t.store.db, { owner: 'alive', now: T0 + 2000, leaseMs: 1000, limit: 1 })).toEqual([]);
    expect((await q.get(t.store.db, id))?.status).toBe('failed');
  });

  it('renews a lease it holds', async () => {
    await q.enqueue(t.store.db, { kind: 'x' }, T0);
    const [job] = await q.claim(t.store.db, { owner: 'w1', now: T0, leaseMs: 1000, limit: 1 });
    expect(await q.renew(t.store.db, job!, 'w1', T0 + 10_000, T0 + 500)).toBe(true);
    expect(await q.claim(t.store.db, { owner: 'w2', now: T0 + 5000, leaseMs: 1000, limit: 1 })).toEqual([]);
    expect(await q.renew(t.store.db, job!, 'w2', T0 + 20_000, T0 + 500)).toBe(false);
  });

  it('defers a job without spending an attempt', async () => {
    const id = (await q.enqueue(t.store.db, { kind: 'x', maxAttempts: 1 }, T0))!;
    const [claimed] = await q.claim(t.store.db, { owner: 'w1', now: T0, leaseMs: 1000, limit: 1 });
    expect(await q.defer(t.store.db, claimed!, 'w1', T0 + 30_000, T0, { waiting: 'cooldown' })).toBe(true);
    const [job] = await q.claim(t.store.db, { owner: 'w1', now: T0 + 30_000, leaseMs: 1000, limit: 1 });
    expect(job).toMatchObject({ id, attempts: 1, payload: { waiting: 'cooldown' } });
  });

  it('wakes a deferred job, and a wake that comes while it runs survives its defer', async () => {
    const id = (await q.enqueue(t.store.db, { kind: 'x' }, T0))!;
    const [claimed] = await q.claim(t.store.db, { owner: 'w1', now: T0, leaseMs: 1000, limit: 1 });
    await q.defer(t.store.db, claimed!, 'w1', T0 + 900_000, T0, undefined, T0);
    expect(await q.wake(t.store.db, id, T0 + 5)).toBe(true);
    const [woken] = await q.claim(t.store.db, { owner: 'w1', now: T0 + 5, leaseMs: 1000, limit: 1 });
    expect(woken?.id).toBe(id);

    // Woken while running (an approval landed just after the handler decided to wait): the defer
    // keeps the wake, even with a clock that has not moved since the claim.
    expect(await q.wake(t.store.db, id, T0 + 5)).toBe(true);
    await q.defer(t.store.db, woken!, 'w1', T0 + 900_000, T0 + 5, undefined, woken!.runAt);
    const again = await q.claim(t.store.db, { owner: 'w1', now: T0 + 5, leaseMs: 1000, limit: 1 });
    expect(again.map((j) => j.id)).toEqual([id]);
    await q.complete(t.store.db, again[0]!, 'w1', T0 + 6);
    expect(await q.wake(t.store.db, id, T0 + 7)).toBe(false);
  });

  it('never gives the same job to two concurrent claimers', async () => {
    for (let i = 0; i < 50; i++) await q.enqueue(t.store.db, { kind: 'x' }, T0);
    const claims = await Promise.all(
      Array.from({ length: 5 }, (_, w) => q.claim(t.store.db, { owner: `w${w}`, now: T0, leaseMs: 5000, limit: 20 })),
    );
    const ids = claims.flat().map((j) => j.id);
    expect(new Set(ids).size).toBe(ids.length);
    expect(ids).toHaveLength(50);
  });

  it('purges finished jobs older than the retention', async () => {
    await q.enqueue(t.store.db, { kind: 'x' }, T0);
    const [job] = await q.claim(t.store.db, { owner: 'w1', now: T0, leaseMs: 1000, limit: 1 });
    await q.complete(t.store.db, job!, 'w1', T0);
    await q.enqueue(t.store.db, { kind: 'y' }, T0);
    expect(await q.purgeFinished(t.store.db, T0 + 1)).toBe(1);
    expect((await q.list(t.store.db)).map((j) => j.kind)).toEqual(['y']);
  });
});
