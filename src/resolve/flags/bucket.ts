/**
 * Deterministic rollout bucketing. A targeting key lands in one of BUCKETS buckets per flag; a flag
 * rolled out to r serves the buckets below r × BUCKETS. Because the bucket depends only on the flag key
 * and the targeting key, the same user always gets the same answer, and raising a rollout from 25 % to
 * 50 % only adds buckets: nobody who was in falls out.
 *
 * The hash is MurmurHash3 (x86, 32-bit) over the UTF-8 bytes of the targeting key, seeded with the hash
 * of the flag key, so that every flag splits its users independently. It is computed over the string
 * directly, without encoding it into a buffer first: evaluation runs thousands of times per second and
 * should not allocate per call.
 */

/** Resolution of a rollout: 1/10,000, i.e. 0.01 %. */
export const BUCKETS = 10_000;

const C1 = 0xcc9e2d51;
const C2 = 0x1b873593;

// Streaming state of the hash being computed. Module-level rather than a closure or an object so that
// hashing allocates nothing; safe because murmur3() is synchronous and never re-entered.
let h = 0;
let k = 0;
let length = 0;

function feed(byte: number): void {
  k |= byte << ((length & 3) << 3);
  length++;
  if ((length & 3) === 0) {
    k = Math.imul(k, C1);
    k = (k << 15) | (k >>> 17);
    k = Math.imul(k, C2);
    h ^= k;
    h = (h << 13) | (h >>> 19);
    h = (Math.imul(h, 5) + 0xe6546b64) | 0;
    k = 0;
  }
}

/** MurmurHash3 x86_32 of the UTF-8 encoding of `text` (lone surrogates encode as U+FFFD, like TextEncoder). */
export function murmur3(text: string, seed = 0): number {
  h = seed | 0;
  k = 0;
  length = 0;
  for (let i = 0; i < text.length; i++) {
    let c = text.charCodeAt(i);
    if (c < 0x80) {
      feed(c);
      continue;
    }
    if (c < 0x800) {
      feed(0xc0 | (c >> 6));
      feed(0x80 | (c & 0x3f));
      continue;
    }
    if (c >= 0xd800 && c <= 0xdfff) {
      const next = i + 1 < text.length ? text.charCodeAt(i + 1) : 0;
      if (c <= 0xdbff && next >= 0xdc00 && next <= 0xdfff) {
        c = 0x10000 + ((c - 0xd800) << 10) + (next - 0xdc00);
        i++;
        feed(0xf0 | (c >> 18));
        feed(0x80 | ((c >> 12) & 0x3f));
        feed(0x80 | ((c >> 6) & 0x3f));
        feed(0x80 | (c & 0x3f));
        continue;
      }
      c = 0xfffd;
    }
    feed(0xe0 | (c >> 12));
    feed(0x80 | ((c >> 6) & 0x3f));
    feed(0x80 | (c & 0x3f));
  }
  if ((length & 3) !== 0) {
    k = Math.imul(k, C1);
    k = (k << 15) | (k >>> 17);
    k = Math.imul(k, C2);
    h ^= k;
  }
  h ^= length;
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

/** The seed that makes a flag's (or a flag rule's) split independent of every other flag's. */
export function bucketSeed(salt: string): number {
  return murmur3(salt, 0);
}

/** The bucket (0 … BUCKETS−1) of a targeting key under a seed. */
export function bucketIndex(seed: number, targetingKey: string): number {
  return murmur3(targetingKey, seed) % BUCKETS;
}

/** Buckets served by a rollout fraction: a key is inside when its bucket index is below this. */
export function rolloutThreshold(rollout: number): number {
  return Math.min(BUCKETS, Math.max(0, Math.round(rollout * BUCKETS)));
}

/** Where a targeting key falls for a flag, as a number in [0, 1) with a resolution of 1/BUCKETS. */
export function bucketOf(flagKey: string, targetingKey: string): number {
  return bucketIndex(bucketSeed(flagKey), targetingKey) / BUCKETS;
}

/** Whether a targeting key is inside a flag's rollout. Monotonic: inside at r stays inside at every r' ≥ r. */
export function inRollout(flagKey: string, targetingKey: string, rollout: number): boolean {
  return bucketIndex(bucketSeed(flagKey), targetingKey) < rolloutThreshold(rollout);
}
