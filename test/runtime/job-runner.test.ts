import { PassThrough } from 'node:stream';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { JobRunner, type JobHandler } from '../../src/runtime/job-runner.js';
import { systemClock } from '../../src/shared/clock.js';
import { createLogger, silentLogger } from '../../src/shared/logger.js';
import { JobQueue } from '../../src/store/index.js';
import { ENGINES, openTestStore, type TestStore } from '../helpers/stores.js';

describe.each(ENGINES)('job runner on %s', (engine) => {
  let t: TestStore;
  let queue: JobQueue;
  const runners: JobRunner[] = [];
  beforeEach(async () => {
    t = await openTestStore(engine);
    queue = new JobQueue(t.store.dialect);
  });
  afterEach(async () => {
    await Promise.all(runners.splice(0).map((r) => r.stop(100)));
    await t.cleanup();
  });

  const runner = (handlers: Record<string, JobHandler>, extra: Partial<ConstructorParameters<typeof JobRunner>[0]> = {}) => {
    const r = new JobRunner({ store: t.store, queue, handlers, clock: systemClock, logger: silentLogger, leaseMs: 2000, concurrency: 4, pollMs: 20, backoffMs: 10, ...extra });
    runners.push(r);
    return r;
  };

  const waitFor = async (cond: () => Promise<boolean>, ms = 5000) => {
    const until = Date.now() + ms;
    while (!(await cond())) {
      if (Date.now() > until) throw new Error('timed out waiting');
      await new Promise((r) => setTimeout(r, 10));
    }
  };

  it('runs each job once with the handler of its kind', async () => {
    const seen: number[] = [];
    for (let i = 0; i < 20; i++) await queue.enqueue(t.store.db, { kind: 'count', payload: { i } }, Date.now());
    const r = runner({ count: async (job) => void seen.push((job.payload as { i: number }).i) });
    r.start();
    await waitFor(async () => (await queue.list(t.store.db, { status: 'done' })).length === 20);
    expect(seen.sort((a, b) => a - b)).toEqual(Array.from({ length: 20 }, (_, i) => i));
  });

  it('retries a failing handler with backoff and records the error', async () => {
    let calls = 0;
    const id = (await queue.enqueue(t.store.db, { kind: 'flaky', maxAttempts: 3 }, Date.now()))!;
    runner({
      flaky: async () => {
        calls++;
        if (calls < 3) throw new Error(`attempt ${calls} failed`);
      },
    }).start();
    await waitFor(async () => (await queue.get(t.store.db, id))?.status === 'done');
    expect(calls).toBe(3);
    expect((await queue.get(t.store.db, id))?.lastError).toBe('attempt 2 failed');
  });

  it('defers a job that asks to wait, without spending an attempt', async () => {
    let calls = 0;
    const id = (await queue.enqueue(t.store.db, { kind: 'wait', maxAttempts: 1 }, Date.now()))!;
    runner({
      wait: async () => {
        calls++;
        if (calls === 1) return { deferUntil: Date.now() + 50 };
      },
    }).start();
    await waitFor(async () => (await queue.get(t.store.db, id))?.status === 'done');
    expect(calls).toBe(2);
  });

  it('splits work between two runners without running anything twice', async () => {
    const seen = new Map<number, string[]>();
    const handler: JobHandler = async (job, ctx) => {
      seen.set(job.id, [...(seen.get(job.id) ?? []), ctx.owner]);
      await new Promise((r) => setTimeout(r, 5));
    };
    for (let i = 0; i < 40; i++) await queue.enqueue(t.store.db, { kind: 'x' }, Date.now());
    runner({ x: handler }, { owner: 'a' }).start();
    runner({ x: handler }, { owner: 'b' }).start();
    await waitFor(async () => (await queue.list(t.store.db, { status: 'done' })).length === 40);
    expect([...seen.values()].every((owners) => owners.length === 1)).toBe(true);
    expect(seen.size).toBe(40);
  });

  it('renews the lease of a long job so no one else takes it', async () => {
    let runs = 0;
    const id = (await queue.enqueue(t.store.db, { kind: 'slow' }, Date.now()))!;
    const slow: JobHandler = async () => {
      runs++;
      await new Promise((r) => setTimeout(r, 700));
    };
    runner({ slow }, { leaseMs: 300, owner: 'a' }).start();
    runner({ slow }, { leaseMs: 300, owner: 'b' }).start();
    await waitFor(async () => (await queue.get(t.store.db, id))?.status === 'done');
    expect(runs).toBe(1);
  });

  it('stops claiming on stop() and lets running jobs finish', async () => {
    let finished = false;
    await queue.enqueue(t.store.db, { kind: 'x' }, Date.now());
    const r = runner({
      x: async () => {
        await new Promise((res) => setTimeout(res, 100));
        finished = true;
      },
    });
    r.start();
    await waitFor(async () => (await queue.list(t.store.db, { status: 'running' })).length === 1);
    await r.stop(2000);
    expect(finished).toBe(true);
    expect((await queue.list(t.store.db))[0]?.status).toBe('done');
  });
});

/**
 * The database going away under a runner (a PostgreSQL restart): the queue's writes fail with the errors
 * pg gives then. The loop backs off and says so once, resumes when the database answers, writes a job's
 * outcome again until it can, and does not count a run the outage cut off as an attempt.
 */
describe('job runner while the database is unavailable', () => {
  let t: TestStore;
  const runners: JobRunner[] = [];
  beforeEach(async () => {
    t = await openTestStore('postgres');
  });
  afterEach(async () => {
    await Promise.all(runners.splice(0).map((r) => r.stop(100)));
    await t.cleanup();
  });

  const lost = () => Object.assign(new Error('Connection terminated unexpectedly'), {});
  const refused = () => Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), { code: 'ECONNREFUSED' });

  /** A queue whose named methods fail (as an unreachable database makes them) while `down()` says so. */
  class FlakyQueue extends JobQueue {
    calls: Record<string, number> = {};
    constructor(
      private readonly down: (method: string) => boolean,
      private readonly error: () => Error,
    ) {
      super(t.store.dialect);
      for (const method of ['claim', 'complete', 'defer', 'fail'] as const) {
        const real = (JobQueue.prototype[method] as (...args: unknown[]) => Promise<unknown>).bind(this);
        (this as unknown as Record<string, unknown>)[method] = async (...args: unknown[]) => {
          this.calls[method] = (this.calls[method] ?? 0) + 1;
          if (this.down(method)) throw this.error();
          return real(...args);
        };
      }
    }
  }

  function logs() {
    const stream = new PassThrough();
    const lines: Array<{ level: number; msg: string }> = [];
    stream.on('data', (d: Buffer) => {
      for (const l of d.toString().split('\n').filter(Boolean)) lines.push(JSON.parse(l) as { level: number; msg: string });
    });
    return { logger: createLogger({ destination: stream, pretty: false, level: 'info' }), lines };
  }

  const waitFor = async (cond: () => Promise<boolean> | boolean, ms = 8000) => {
    const until = Date.now() + ms;
    while (!(await cond())) {
      if (Date.now() > until) throw new Error('timed out waiting');
      await new Promise((r) => setTimeout(r, 10));
    }
  };

  it('backs off while claims fail, says so once, and resumes when the database answers', async () => {
    let downUntil = Date.now() + 600;
    const queue = new FlakyQueue((m) => m === 'claim' && Date.now() < downUntil, refused);
    const { logger, lines } = logs();
    let ran = 0;
    const r = new JobRunner({ store: t.store, queue, handlers: { x: async () => void ran++ }, clock: systemClock, logger, leaseMs: 2000, concurrency: 2, pollMs: 20, maxBackoffMs: 200 });
    runners.push(r);
    const id = (await queue.enqueue(t.store.db, { kind: 'x' }, Date.now()))!;
    r.start();
    await waitFor(async () => (await queue.get(t.store.db, id))?.status === 'done');
    expect(ran).toBe(1);
    // Backoff: 20, 40, 80, 160, 200, 200… ms (±20%) over 600 ms is well under the 30 claims of a fixed 20 ms poll.
    expect(queue.calls.claim).toBeLessThan(15);
    expect(queue.calls.claim).toBeGreaterThan(3);
    expect(lines.filter((l) => l.msg.startsWith('claiming jobs failed'))).toHaveLength(1);
    expect(lines.filter((l) => l.msg.includes('the job runner resumes'))).toHaveLength(1);
    downUntil = 0;
  });

  it('writes a finished job’s outcome again until the database takes it, so the job runs once', async () => {
    let failures = 3;
    const queue = new FlakyQueue((m) => m === 'complete' && failures-- > 0, lost);
    let ran = 0;
    const r = new JobRunner({ store: t.store, queue, handlers: { x: async () => void ran++ }, clock: systemClock, logger: silentLogger, leaseMs: 2000, concurrency: 2, pollMs: 20 });
    runners.push(r);
    const id = (await queue.enqueue(t.store.db, { kind: 'x' }, Date.now()))!;
    r.start();
    await waitFor(async () => (await queue.get(t.store.db, id))?.status === 'done');
    expect(ran).toBe(1);
    expect(queue.calls.complete).toBe(4);
  });

  it('runs a job again without spending an attempt when the database went away under its handler', async () => {
    const queue = new JobQueue(t.store.dialect);
    let calls = 0;
    const r = new JobRunner({
      store: t.store,
      queue,
      handlers: {
        x: async () => {
          calls++;
          if (calls <= 2) throw Object.assign(new Error('terminating connection due to administrator command'), { code: '57P01' });
        },
      },
      clock: systemClock,
      logger: silentLogger,
      leaseMs: 2000,
      concurrency: 2,
      pollMs: 20,
      backoffMs: 50,
    });
    runners.push(r);
    const id = (await queue.enqueue(t.store.db, { kind: 'x', maxAttempts: 1 }, Date.now()))!;
    r.start();
    await waitFor(async () => (await queue.get(t.store.db, id))?.status === 'done');
    expect(calls).toBe(3);
    expect((await queue.get(t.store.db, id))?.attempts).toBe(1);
  });
});
