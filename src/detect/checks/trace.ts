import { randomFillSync } from 'node:crypto';

/**
 * W3C Trace Context ids for the `traceparent` header. Random bytes come from a pooled buffer refilled
 * in one call per 256 ids, instead of one randomBytes() allocation per request.
 */

const pool = Buffer.alloc(4096);
let offset = pool.length;

function randomHex(bytes: number): string {
  if (offset + bytes > pool.length) {
    randomFillSync(pool);
    offset = 0;
  }
  const hex = pool.toString('hex', offset, offset + bytes);
  offset += bytes;
  // All zeros is the one invalid value; at 2^-64 it is a formality, but tracers drop such headers.
  return /^0+$/.test(hex) ? randomHex(bytes) : hex;
}

/** 32 lowercase hex digits. */
export function newTraceId(): string {
  return randomHex(16);
}

/** 16 lowercase hex digits: one per request (each redirect hop and journey step is its own span). */
export function newSpanId(): string {
  return randomHex(8);
}

/** `00-<trace id>-<span id>-01` (version 00, sampled). */
export function traceparent(traceId: string, spanId: string): string {
  return `00-${traceId}-${spanId}-01`;
}
