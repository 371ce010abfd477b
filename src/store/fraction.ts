/**
 * Percentile fractions and ranks are written into SQL as literals (so an expression holding one has no
 * bound parameters and can be repeated in GROUP BY); these are the checks that make that safe.
 */
export function checkFraction(fraction: number): number {
  if (typeof fraction !== 'number' || !(fraction >= 0 && fraction <= 1)) throw new RangeError(`percentile fraction must be between 0 and 1, got ${String(fraction)}`);
  return fraction;
}

/** A 0-based rank of a group of `count` values (see ReportEngine.valuesAtRanks). */
export function checkRank(rank: number, count: number): number {
  if (!Number.isInteger(rank) || rank < 0 || rank >= count) throw new RangeError(`rank ${rank} outside 0..${count - 1}`);
  return rank;
}
