import { Worker } from 'node:worker_threads';
import type { RenderingKey } from './renderings.js';
import type { WindowRollups } from './read.js';
import type { StatusInput } from './state.js';
import { rollupBuffers, toWireRollups, type Wanted, type WireReply, type WireRendering, type WireRequest } from './wire.js';

/** A computation's input: the roll-ups as DailyRollups reads them. */
export type ComputeInput = Omit<StatusInput, 'rollups' | 'page'> & { page: StatusInput['page'] & { path: string }; rollups: WindowRollups };

/**
 * The main thread's end of the render worker (render-worker.ts): one thread, started on first use, one
 * message answered at a time, in order. A dedicated thread rather than a pool: the service runs one
 * computation at a time, and renderings of a kept page are few and small.
 *
 * The worker is given the rows the main thread read, not a database connection of its own: it stays a
 * pure function of them — no second PostgreSQL pool against the server's connection limit, no second
 * SQLite handle, no config, secrets or migrations in the thread — and the reads it would move are the
 * small ones (hours that ended are kept in DailyRollups as day sums, which cross to the thread once per
 * change; only the last two hours are read again).
 */
export class RenderWorker {
  private worker: Worker | undefined;
  private seq = 0;
  private nextId = 0;
  /** The settled roll-ups' version this thread has (none after a start). */
  private settledVersion: number | undefined;
  private readonly waiting = new Map<number, { resolve: (r: WireRendering[]) => void; reject: (e: Error) => void }>();

  private start(): Worker {
    // Run from the sources (tests, benchmarks), the worker is TypeScript: tsx's loader is registered in
    // the thread first (Node 20 does not pass a parent's --import loader on to a worker).
    const worker = import.meta.url.endsWith('.ts')
      ? new Worker(`import('tsx/esm/api').then((tsx) => { tsx.register(); return import(${JSON.stringify(new URL('./render-worker.ts', import.meta.url).href)}); })`, { eval: true })
      : new Worker(new URL('./render-worker.js', import.meta.url));
    worker.unref();
    this.settledVersion = undefined;
    worker.on('message', (r: WireReply) => {
      const w = this.waiting.get(r.seq);
      this.waiting.delete(r.seq);
      if (r.error !== undefined) w?.reject(new Error(`status page render worker: ${r.error}`));
      else w?.resolve(r.made ?? []);
    });
    const fail = (err: Error) => {
      if (this.worker === worker) this.worker = undefined;
      for (const w of this.waiting.values()) w.reject(err);
      this.waiting.clear();
    };
    worker.on('error', fail);
    worker.on('exit', (code) => fail(new Error(`status page render worker exited (${code})`)));
    return worker;
  }

  private call(message: WireRequest, transfer: ArrayBuffer[] = [], worker = (this.worker ??= this.start())): Promise<WireRendering[]> {
    return new Promise((resolve, reject) => {
      this.waiting.set(message.seq, { resolve, reject });
      worker.postMessage(message, transfer);
    });
  }

  /** Computes a page in the worker, with the renderings in `want` made ahead; the page is kept there by id. */
  async compute(input: ComputeInput, want: Wanted[]): Promise<{ id: number; made: WireRendering[] }> {
    const id = ++this.nextId;
    const fresh = toWireRollups(input.rollups.fresh);
    const { version, rows } = input.rollups.settled;
    const { path, title, services, history, show_automatic_updates } = input.page;
    const worker = (this.worker ??= this.start());
    // Copied, not moved, when sent: the same columns are sent again to a restarted thread.
    const settled = this.settledVersion === version ? { version } : { version, rows };
    this.settledVersion = version;
    const made = await this.call(
      { type: 'compute', seq: ++this.seq, id, want, input: { now: input.now, monitors: input.monitors, incidents: input.incidents, settled, fresh, page: { path, title, services, history, show_automatic_updates } } },
      rollupBuffers(fresh),
      worker,
    );
    return { id, made };
  }

  /** A rendering of a page the worker keeps; it keeps the newest few. */
  async render(id: number, path: string, key: RenderingKey, gzip: boolean): Promise<WireRendering> {
    const [made] = await this.call({ type: 'render', seq: ++this.seq, id, path, key, gzip });
    return made!;
  }

  async stop(): Promise<void> {
    const worker = this.worker;
    this.worker = undefined;
    await worker?.terminate();
  }
}
