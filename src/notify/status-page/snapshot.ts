import { promisify } from 'node:util';
import { gzip } from 'node:zlib';
import type { RenderWorker } from './renderer.js';
import type { RenderingKey } from './renderings.js';
import type { StatusPageServiceOptions } from './service.js';
import type { Wanted, WireRendering } from './wire.js';

export { JSON_PATH } from './renderings.js';

const gzipAsync = promisify(gzip);

/**
 * A rendering, encoded once, and gzipped once (in the render worker when it was asked of the page
 * before, else on libuv's thread pool) when a client accepts it: a page of a thousand services is
 * megabytes of repetitive HTML that compresses some fortyfold, and compressing it per request (as a
 * compression plugin would) would cost more than everything else.
 */
export class Rendered {
  readonly body: Buffer;
  private compressed: Promise<Buffer> | undefined;

  /** A hash of the body (ETag): the same bytes, the same tag, across computations. */
  readonly etag: string | undefined;

  constructor(body: Uint8Array, gz?: Uint8Array, etag?: string) {
    this.body = Buffer.from(body.buffer, body.byteOffset, body.byteLength);
    this.etag = etag;
    if (gz) this.compressed = Promise.resolve(Buffer.from(gz.buffer, gz.byteOffset, gz.byteLength));
  }

  gzip(): Promise<Buffer> {
    return (this.compressed ??= gzipAsync(this.body));
  }

  get gzipped(): boolean {
    return this.compressed !== undefined;
  }
}

/** Origins an Atom feed is kept for (without server.public_url, each Host a request names gets its own). */
const MAX_ORIGINS = 4;

/**
 * One computation, as the main thread holds it: its renderings, each made on first use by the render
 * worker (which keeps the page itself) and then kept. The page is not copied back to this thread.
 */
export class Snapshot {
  private readonly made = new Map<RenderingKey, Promise<Rendered>>();
  private readonly done = new Map<RenderingKey, Rendered>();

  constructor(
    private readonly id: number,
    private readonly worker: RenderWorker,
    private readonly options: Pick<StatusPageServiceOptions, 'page' | 'publicUrl'>,
    ahead: readonly WireRendering[],
  ) {
    for (const r of ahead) if (r.body) this.keep(r.key, Promise.resolve(new Rendered(r.body, r.gz, r.etag)));
  }

  private keep(key: RenderingKey, rendered: Promise<Rendered>): Promise<Rendered> {
    this.made.set(key, rendered);
    // A failed rendering is not kept: the next request asks again.
    rendered.then(
      (r) => this.done.set(key, r),
      () => this.made.delete(key),
    );
    return rendered;
  }

  private async ask(key: RenderingKey): Promise<Rendered> {
    const r = await this.worker.render(this.id, this.options.page.path, key, false);
    if (!r.body) throw new Error(`status page: nothing rendered for ${key}`);
    return new Rendered(r.body, undefined, r.etag);
  }

  private once(key: RenderingKey): Promise<Rendered> {
    return this.made.get(key) ?? this.keep(key, this.ask(key));
  }

  html(): Promise<Rendered> {
    return this.once('html');
  }

  json(): Promise<Rendered> {
    return this.once('json');
  }

  /**
   * The Atom feed, whose links must be absolute: under server.public_url when it is set, else under
   * `origin` (the request's own). Kept per origin, for a few of them; a request's Host header never
   * reaches another's answer.
   */
  atom(origin: string): Promise<Rendered> {
    const key: RenderingKey = `atom:${(this.options.publicUrl ?? origin).replace(/\/+$/, '')}`;
    if (!this.made.has(key) && [...this.made.keys()].filter((k) => k.startsWith('atom:')).length >= MAX_ORIGINS) return this.ask(key);
    return this.once(key);
  }

  /** The badge of a listed service, or of the whole page without one; undefined for any other name. */
  async badge(service?: string): Promise<Rendered | undefined> {
    if (service !== undefined && !this.options.page.services.includes(service)) return undefined;
    return this.once(`badge:${service ?? ''}`);
  }

  /** What was asked of this page (and whether gzipped): the next page is rendered so ahead of requests. */
  wanted(): Wanted[] {
    return [...this.done].map(([key, r]) => ({ key, gzip: r.gzipped }));
  }
}
