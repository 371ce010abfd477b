/**
 * Percentile fractions are written into SQL as literals (so an expression holding one has no bound
 * parameters and can be repeated in GROUP BY); this is the check that makes that safe.
 */
export function checkFraction(fraction: number): number {
  if (typeof fraction !== 'number' || !(fraction >= 0 && fraction <= 1)) throw new RangeError(`percentile fraction must be between 0 and 1, got ${String(fraction)}`);
  return fraction;
}
