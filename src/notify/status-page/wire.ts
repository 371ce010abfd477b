import type { RenderingKey } from './renderings.js';
import type { RollupRow, StatusInput } from './state.js';

/**
 * Messages between the status page service and its render worker. The roll-ups (one row per monitor and
 * day: 90,000 for a thousand services) cross as columns of typed arrays, moved rather than copied: as
 * objects, cloning them would cost the main thread about as much as the computation it hands off.
 */

export interface WireRollups {
  names: string[];
  service: Uint32Array;
  hour: Float64Array;
  runs: Float64Array;
  up: Float64Array;
  degraded: Float64Array;
}

export interface WireInput extends Omit<StatusInput, 'rollups' | 'page'> {
  page: StatusInput['page'] & { path: string };
  /** The settled roll-ups, sent only when the worker does not have this version yet. */
  settled: { version: number; rows?: WireRollups };
  /** The last hours' roll-ups, moved. */
  fresh: WireRollups;
}

export interface Wanted {
  key: RenderingKey;
  gzip: boolean;
}

export type WireRequest =
  | { type: 'compute'; seq: number; id: number; input: WireInput; want: Wanted[] }
  | { type: 'render'; seq: number; id: number; path: string; key: RenderingKey; gzip: boolean };

/** A rendering's bytes (null: a badge of a service not on the page), and gzipped when asked. */
export interface WireRendering {
  key: RenderingKey;
  body: Uint8Array | null;
  gz?: Uint8Array;
  /** A hash of the body, for ETag (made in the worker: hashing megabytes is not the event loop's work). */
  etag?: string;
}

export interface WireReply {
  seq: number;
  made?: WireRendering[];
  error?: string;
}

export function toWireRollups(rows: readonly RollupRow[]): WireRollups {
  const index = new Map<string, number>();
  const w: WireRollups = { names: [], service: new Uint32Array(rows.length), hour: new Float64Array(rows.length), runs: new Float64Array(rows.length), up: new Float64Array(rows.length), degraded: new Float64Array(rows.length) };
  for (let i = 0; i < rows.length; i++) {
    const r = rows[i]!;
    let n = index.get(r.service);
    if (n === undefined) index.set(r.service, (n = w.names.push(r.service) - 1));
    w.service[i] = n;
    w.hour[i] = r.hour;
    w.runs[i] = r.runs;
    w.up[i] = r.up;
    w.degraded[i] = r.degraded;
  }
  return w;
}

export function fromWireRollups(r: WireRollups): RollupRow[] {
  const rows: RollupRow[] = new Array(r.hour.length);
  for (let i = 0; i < rows.length; i++) rows[i] = { service: r.names[r.service[i]!]!, hour: r.hour[i]!, runs: r.runs[i]!, up: r.up[i]!, degraded: r.degraded[i]! };
  return rows;
}

export const rollupBuffers = (w: WireRollups): ArrayBuffer[] => [w.service, w.hour, w.runs, w.up, w.degraded].map((a) => a.buffer as ArrayBuffer);

/**
 * Whether an array may be moved to the other thread: only one that owns its whole buffer (a slice of
 * Node's shared pool, as small Buffers are, must be copied).
 */
export const transferable = (a: Uint8Array | null | undefined): a is Uint8Array => !!a && a.byteOffset === 0 && a.byteLength === a.buffer.byteLength && a.buffer instanceof ArrayBuffer;
