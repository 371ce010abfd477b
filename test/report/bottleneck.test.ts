import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findBottleneck, mttrReport, PHASE_LEVERS, type PeriodStats } from '../../src/report/index.js';
import { ENGINES, openTestStore, type TestStore } from '../helpers/stores.js';
import { insertIncidents } from './helpers.js';

function stats(shares: [number | null, number | null, number | null, number | null]): PeriodStats {
  const [detect, diagnose, resolve, verify] = shares.map((share) => ({ mean: share === null ? null : share * 10, median: share === null ? null : share * 10, share }));
  return {
    period: 'total',
    start: null,
    end: null,
    incidents: 1,
    mttr: { mean: 10, median: 10, p90: 10, max: 10 },
    phases: { detect: detect!, diagnose: diagnose!, resolve: resolve!, verify: verify! },
    resolvedMinusDetected: { incidents: 1, mean: 10, median: 10 },
    acknowledge: { incidents: 0, median: null, p90: null, share: null },
  };
}

describe('findBottleneck', () => {
  it('picks the phase with the largest share, with the article’s lever for it', () => {
    expect(findBottleneck(stats([0.1, 0.5, 0.3, 0.1]))).toEqual({ phase: 'diagnose', share: 0.5, meanMinutes: 5, medianMinutes: 5, lever: PHASE_LEVERS.diagnose });
    expect(findBottleneck(stats([0.4, 0.2, 0.1, 0.3]))?.phase).toBe('detect');
    expect(findBottleneck(stats([0.1, 0.1, 0.7, 0.1]))?.lever).toMatch(/automation/);
    expect(findBottleneck(stats([0.1, 0.1, 0.1, 0.7]))?.lever).toMatch(/feedback loops/);
    expect(PHASE_LEVERS.detect).toMatch(/alert latency/);
    expect(PHASE_LEVERS.diagnose).toMatch(/observability/);
  });

  it('takes the earlier phase on a tie, and nothing without incidents or time spent', () => {
    expect(findBottleneck(stats([0.25, 0.25, 0.25, 0.25]))?.phase).toBe('detect');
    expect(findBottleneck(stats([null, null, null, null]))).toBeNull();
    expect(findBottleneck(stats([0, 0, 0, 0]))).toBeNull();
  });
});

describe.each(ENGINES)('bottleneck of a report on %s', (engine) => {
  let t: TestStore;
  beforeAll(async () => {
    t = await openTestStore(engine);
    await insertIncidents(t.store, [
      { detected: '2026-05-01T10:00:00Z', detect: 2, diagnose: 40, resolve: 10, verify: 3 },
      { detected: '2026-05-02T10:00:00Z', detect: 5, diagnose: 10, resolve: 50, verify: 5 },
      { detected: '2026-05-03T10:00:00Z', detect: 3, diagnose: 30, resolve: 5, verify: 2 },
    ]);
  });
  afterAll(async () => t?.cleanup());

  it('finds diagnosis as the largest share over the range', async () => {
    const report = await mttrReport(t.store, { by: 'month' });
    // diagnose 80 of 165 minutes; resolve 65
    expect(findBottleneck(report.total)).toMatchObject({ phase: 'diagnose', meanMinutes: 80 / 3, medianMinutes: 30 });
    expect(findBottleneck(report.total)!.share).toBeCloseTo(80 / 165, 12);
  });
});
