import { createHash } from 'node:crypto';
import { parentPort } from 'node:worker_threads';
import { gzipSync } from 'node:zlib';
import { render } from './renderings.js';
import type { StatusPage } from './schema.js';
import { computeStatusPage, type RollupRow } from './state.js';
import type { WireReply, WireRendering, WireRequest } from './wire.js';
import { fromWireRollups, transferable } from './wire.js';

/**
 * The status page's render thread: computes the page from the rows the main thread read, and renders
 * and gzips it, so the event loop that serves the API, the checks and the kept pages never runs the
 * computation (a thousand services' 90 days are 90,000 bars and megabytes of HTML and JSON).
 */

/** Pages kept for later renderings: the newest and the ones that may still be served while it was made. */
const KEEP = 4;
const pages = new Map<number, StatusPage>();
/** The settled roll-ups last sent (the main thread sends them again only when they change). */
let settled: { version: number; rows: RollupRow[] } | undefined;

function make(page: StatusPage, path: string, key: WireRendering['key'], gzip: boolean): WireRendering {
  const text = render(page, path, key);
  if (text === undefined) return { key, body: null };
  const body = new TextEncoder().encode(text);
  const etag = createHash('sha1').update(body).digest('base64url');
  return gzip ? { key, body, gz: gzipSync(body), etag } : { key, body, etag };
}

function handle(m: WireRequest): WireReply {
  if (m.type === 'compute') {
    const { settled: s, fresh, ...input } = m.input;
    if (s.rows) settled = { version: s.version, rows: fromWireRollups(s.rows) };
    if (settled?.version !== s.version) throw new Error(`settled roll-ups ${s.version} were not sent`);
    const page = computeStatusPage({ ...input, rollups: [...settled.rows, ...fromWireRollups(fresh)] });
    pages.set(m.id, page);
    for (const id of pages.keys()) if (pages.size > KEEP) pages.delete(id);
    return { seq: m.seq, made: m.want.map((w) => make(page, m.input.page.path, w.key, w.gzip)) };
  }
  const page = pages.get(m.id);
  if (!page) return { seq: m.seq, error: `status page ${m.id} is no longer kept` };
  return { seq: m.seq, made: [make(page, m.path, m.key, m.gzip)] };
}

parentPort!.on('message', (m: WireRequest) => {
  let reply: WireReply;
  try {
    reply = handle(m);
  } catch (err) {
    reply = { seq: m.seq, error: err instanceof Error ? (err.stack ?? err.message) : String(err) };
  }
  const transfer = (reply.made ?? []).flatMap((x) => [x.body, x.gz]).filter(transferable);
  parentPort!.postMessage(reply, transfer.map((b) => b.buffer as ArrayBuffer));
});
