import { setImmediate as yieldToRequests } from 'node:timers/promises';
import { promisify } from 'node:util';
import { gzip } from 'node:zlib';
import { renderAtom } from './atom.js';
import { renderBadge } from './badge.js';
import { renderServiceHtml, renderStatusHtml, type BarMemo } from './html.js';
import type { StatusPage } from './schema.js';
import type { StatusPageServiceOptions } from './service.js';

const gzipAsync = promisify(gzip);

export const JSON_PATH = '/api/public/status';

/**
 * A rendering, encoded once, and gzipped once (off the event loop) when a client accepts it: a page of
 * a thousand services is megabytes of repetitive HTML that compresses some thirtyfold, and compressing
 * it per request (as a compression plugin would) would cost more than everything else.
 */
export class Rendered {
  readonly body: Buffer;
  private compressed: Promise<Buffer> | undefined;

  constructor(text: string) {
    this.body = Buffer.from(text);
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

/** One computation and its renderings, each made on first use. */
export class Snapshot {
  private readonly made = new Map<string, Rendered>();

  constructor(
    readonly page: StatusPage,
    private readonly options: Pick<StatusPageServiceOptions, 'page' | 'publicUrl'>,
  ) {}

  private once(key: string, make: () => string): Rendered {
    let v = this.made.get(key);
    if (v === undefined) this.made.set(key, (v = new Rendered(make())));
    return v;
  }

  html(services?: readonly string[]): Rendered {
    const path = this.options.page.path;
    return this.once('html', () => renderStatusHtml(this.page, { page: path, feed: `${path}/feed.atom`, json: JSON_PATH }, services));
  }

  /**
   * The page rendered a slice of services at a time, letting requests in between: a thousand services
   * take a while to render, and the answers kept meanwhile are served without waiting for it.
   */
  private async htmlInSlices(): Promise<Rendered> {
    const services: string[] = [];
    const memo: BarMemo = new Map();
    for (const s of this.page.services) {
      services.push(renderServiceHtml(s, memo));
      if (services.length % 50 === 0) await yieldToRequests();
    }
    await yieldToRequests();
    return this.html(services);
  }

  json(): Rendered {
    return this.once('json', () => JSON.stringify(this.page));
  }

  /**
   * The Atom feed, whose links must be absolute: under server.public_url when it is set, else under
   * `origin` (the request's own). Made once per origin, for a few of them; a request's Host header
   * never reaches another's answer.
   */
  atom(origin: string): Rendered {
    const path = this.options.page.path;
    const base = (this.options.publicUrl ?? origin).replace(/\/+$/, '');
    const make = () => renderAtom(this.page, { base, page: path, feed: `${path}/feed.atom` });
    const key = `atom:${base}`;
    if (!this.made.has(key) && [...this.made.keys()].filter((k) => k.startsWith('atom:')).length >= MAX_ORIGINS) return new Rendered(make());
    return this.once(key, make);
  }

  /** The badge of a listed service, or of the whole page without one; undefined for any other name. */
  badge(service?: string): Rendered | undefined {
    if (service === undefined) return this.once('badge:', () => renderBadge(this.page.title, this.page.state));
    const s = this.page.services.find((x) => x.name === service);
    return s && this.once(`badge:${service}`, () => renderBadge(s.name, s.state));
  }

  /** Renders (and compresses) now what the previous snapshot was asked for, so requests find it made. */
  async warm(previous: Snapshot | undefined): Promise<void> {
    for (const [key, before] of previous?.made ?? []) {
      const made =
        key === 'html' ? await this.htmlInSlices() : key === 'json' ? this.json() : key.startsWith('atom:') ? this.atom(key.slice(5)) : key.startsWith('badge:') ? this.badge(key.slice(6) || undefined) : undefined;
      if (made && before.gzipped) await made.gzip();
      await yieldToRequests();
    }
  }
}

