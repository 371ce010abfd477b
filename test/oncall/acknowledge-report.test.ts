import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findBottleneck, formatReportTable, mttrGaugeSamples, mttrReport, ACKNOWLEDGE_LEVER } from '../../src/report/index.js';
import { ENGINES, openTestStore, type TestStore } from '../helpers/stores.js';
import { insertIncidents, type IncidentSpec } from '../report/helpers.js';

/**
 * Time to acknowledge (acknowledged_at − detected_at) in the MTTR report: median and p90 per period and
 * over the range, the gauge's phase="acknowledge", and the bottleneck naming it.
 */
const SPECS: IncidentSpec[] = [
  // March: acknowledged after 2, 4 and 10 minutes; one nobody acknowledged.
  { detected: '2026-03-02T10:00:00Z', detect: 1, diagnose: 5, resolve: 5, verify: 1, acknowledge: 2 },
  { detected: '2026-03-05T10:00:00Z', detect: 1, diagnose: 5, resolve: 5, verify: 1, acknowledge: 4 },
  { detected: '2026-03-09T10:00:00Z', detect: 1, diagnose: 5, resolve: 5, verify: 1, acknowledge: 10 },
  { detected: '2026-03-12T10:00:00Z', detect: 1, diagnose: 5, resolve: 5, verify: 1 },
  // April: one, after 30 minutes.
  { detected: '2026-04-02T10:00:00Z', detect: 1, diagnose: 40, resolve: 5, verify: 1, acknowledge: 30 },
  // June (outside the ranges above): MTTR 22 min, acknowledged after 15: 68 % of it waiting for a person.
  { detected: '2026-06-02T10:00:00Z', detect: 1, diagnose: 10, resolve: 10, verify: 1, acknowledge: 15 },
];

describe.each(ENGINES)('time to acknowledge on %s', (engine) => {
  let t: TestStore;
  beforeAll(async () => {
    t = await openTestStore(engine);
    await insertIncidents(t.store, SPECS);
  });
  afterAll(async () => t?.cleanup());

  it('joins the report: median and p90 by period and over the range', async () => {
    const report = await mttrReport(t.store, { by: 'month', until: Date.parse('2026-05-01T00:00:00Z') });
    const [march, april] = report.periods;
    expect(march!.acknowledge.incidents).toBe(3);
    expect(march!.acknowledge.median).toBeCloseTo(4, 9);
    expect(march!.acknowledge.p90).toBeCloseTo(8.8, 9); // 4 + 0.8 × (10 − 4)
    expect(april!.acknowledge).toMatchObject({ incidents: 1, median: 30, p90: 30 });
    expect(report.total.acknowledge.incidents).toBe(4);
    expect(report.total.acknowledge.median).toBeCloseTo(7, 9); // 2 4 10 30
    expect(report.total.acknowledge.p90).toBeCloseTo(24, 9); // 10 + 0.7 × 20
    expect(report.total.acknowledge.share).toBeCloseTo(46 / (4 * 12 + 47), 9);
    const table = formatReportTable(report);
    expect(table).toMatch(/^2026-03 .* 4\.0\/8\.8$/m);
    expect(table).toMatch(/^total .* 7\.0\/24\.0$/m);
  });

  it('gives medic_mttr_seconds a phase="acknowledge" series', async () => {
    const samples = await mttrGaugeSamples(t.store, { now: Date.parse('2026-04-10T00:00:00Z'), windowMs: 50 * 86_400_000 });
    const ack = samples.filter((s) => s.labels.phase === 'acknowledge');
    expect(ack.map((s) => [s.labels.quantile, Math.round(s.value)])).toEqual([['0.5', 420], ['0.9', 1440]]);
  });

  it('names acknowledge as the bottleneck when waiting for a person takes the largest share', async () => {
    const april = await mttrReport(t.store, { by: 'month', since: Date.parse('2026-04-01T00:00:00Z'), until: Date.parse('2026-05-01T00:00:00Z') });
    // April: MTTR 47 min, diagnose 40 (85 %), acknowledge 30 (64 %): diagnose leads.
    expect(findBottleneck(april.total)?.phase).toBe('diagnose');
    const june = await mttrReport(t.store, { by: 'month', since: Date.parse('2026-06-01T00:00:00Z') });
    const bottleneck = findBottleneck(june.total);
    expect(bottleneck).toMatchObject({ phase: 'acknowledge', medianMinutes: 15, lever: ACKNOWLEDGE_LEVER });
    expect(bottleneck!.share).toBeCloseTo(15 / 22, 9);
    expect(formatReportTable(june, { bottleneck })).toContain('Bottleneck: acknowledge, 68% of MTTR. Lever: on-call');
  });
});
