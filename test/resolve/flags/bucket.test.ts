import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { BUCKETS, bucketOf, evaluateFlag, inRollout, murmur3 } from '../../../src/resolve/flags/index.js';
import { KEYS, makeFlag } from './helpers.js';

/** Textbook MurmurHash3 x86_32 over bytes, to check the streaming, allocation-free version against. */
function referenceMurmur3(bytes: Uint8Array, seed: number): number {
  let h = seed | 0;
  const blocks = bytes.length >> 2;
  const mix = (k: number) => {
    k = Math.imul(k, 0xcc9e2d51);
    k = (k << 15) | (k >>> 17);
    return Math.imul(k, 0x1b873593);
  };
  for (let i = 0; i < blocks; i++) {
    const k = bytes[i * 4]! | (bytes[i * 4 + 1]! << 8) | (bytes[i * 4 + 2]! << 16) | (bytes[i * 4 + 3]! << 24);
    h ^= mix(k);
    h = (h << 13) | (h >>> 19);
    h = (Math.imul(h, 5) + 0xe6546b64) | 0;
  }
  let k = 0;
  const tail = blocks * 4;
  const rest = bytes.length & 3;
  if (rest >= 3) k ^= bytes[tail + 2]! << 16;
  if (rest >= 2) k ^= bytes[tail + 1]! << 8;
  if (rest >= 1) h ^= mix(k ^ bytes[tail]!);
  h ^= bytes.length;
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

describe('murmur3', () => {
  it('matches the published test vectors', () => {
    expect(murmur3('', 0)).toBe(0);
    expect(murmur3('', 1)).toBe(0x514e28b7);
    expect(murmur3('hello', 0)).toBe(0x248bfa47);
    expect(murmur3('The quick brown fox jumps over the lazy dog', 0)).toBe(0x2e4ff723);
    expect(murmur3('Hello, world!', 1234)).toBe(0xfaf6cdb3);
  });

  it('hashes the UTF-8 bytes of any string, including astral characters and lone surrogates', () => {
    const encoder = new TextEncoder();
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 40 }), fc.integer({ min: 0, max: 0xffffffff }), (text, seed) => {
        expect(murmur3(text, seed)).toBe(referenceMurmur3(encoder.encode(text), seed));
      }),
      { numRuns: 500 },
    );
  });
});

describe('rollout buckets', () => {
  it('puts a key in the same bucket every time, in [0, 1) at a resolution of 1/10,000', () => {
    for (const key of KEYS.slice(0, 200)) {
      const b = bucketOf('new_checkout_flow', key);
      expect(b).toBe(bucketOf('new_checkout_flow', key));
      expect(b).toBeGreaterThanOrEqual(0);
      expect(b).toBeLessThan(1);
      expect(Math.round(b * BUCKETS) / BUCKETS).toBe(b);
    }
  });

  it('serves each rollout share within ±2 % over 10,000 keys', () => {
    for (const rollout of [0.1, 0.25, 0.5, 0.9]) {
      const f = makeFlag({ key: 'new_checkout_flow', rollout });
      const results = KEYS.map((targetingKey) => evaluateFlag(f, { targetingKey }));
      expect(results.every((e) => e.ok && e.reason === 'SPLIT')).toBe(true);
      const on = results.filter((e) => e.ok && e.value === true).length;
      expect(Math.abs(on / KEYS.length - rollout), `rollout ${rollout}`).toBeLessThanOrEqual(0.02);
    }
  });

  it('keeps everyone who was in when the rollout grows (25 % → 50 %, and every step of 10 %)', () => {
    const enabledAt = (rollout: number) => {
      const f = makeFlag({ key: 'new_checkout_flow', rollout });
      return new Set(KEYS.filter((targetingKey) => (evaluateFlag(f, { targetingKey }) as { value: unknown }).value === true));
    };
    const at25 = enabledAt(0.25);
    const at50 = enabledAt(0.5);
    expect([...at25].filter((k) => !at50.has(k))).toEqual([]);
    expect(at50.size).toBeGreaterThan(at25.size);
    let previous = new Set<string>();
    for (let percent = 0; percent <= 100; percent += 10) {
      const now = enabledAt(percent / 100);
      expect([...previous].every((k) => now.has(k)), `${percent} %`).toBe(true);
      previous = now;
    }
    expect(previous.size).toBe(KEYS.length);
  });

  it('splits different flags independently', () => {
    const both = KEYS.filter((k) => inRollout('flag_a', k, 0.5) && inRollout('flag_b', k, 0.5)).length;
    expect(Math.abs(both / KEYS.length - 0.25)).toBeLessThanOrEqual(0.02);
  });

  it('serves a rollout of 0 % to nobody and 100 % to everybody', () => {
    expect(KEYS.some((k) => inRollout('f', k, 0))).toBe(false);
    expect(KEYS.every((k) => inRollout('f', k, 1))).toBe(true);
  });
});
