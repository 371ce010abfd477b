import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { assessMaturity, findBottleneck, formatReportCsv, formatReportTable, mttrReport } from '../../src/report/index.js';
import { openTestStore, type TestStore } from '../helpers/stores.js';
import { insertIncidents } from './helpers.js';
import { KNOWN } from './known.js';

describe('report formats', () => {
  let t: TestStore;
  beforeAll(async () => {
    t = await openTestStore('sqlite');
    await insertIncidents(t.store, KNOWN);
  });
  afterAll(async () => t?.cleanup());

  it('renders a text table with one row per period, the total, maturity and bottleneck', async () => {
    const report = await mttrReport(t.store, { by: 'month' });
    const maturity = await assessMaturity(t.store, { since: Date.UTC(2026, 3, 1), until: Date.UTC(2026, 4, 1) });
    const text = formatReportTable(report, { maturity, bottleneck: findBottleneck(report.total) });
    const lines = text.split('\n');
    expect(lines[0]).toBe('MTTR by month (UTC, by detection time; minutes)');
    expect(lines[2]).toMatch(/^period\s+incidents\s+mean\s+median\s+p90\s+max\s+detect \(share\)\s+diagnose \(share\)\s+resolve \(share\)\s+verify \(share\)\s+res−det mean\s+res−det median\s+ack p50\/p90$/);
    expect(lines.find((l) => l.startsWith('2026-03'))?.split(/\s{2,}/)).toEqual(['2026-03', '3', '23.3', '20.0', '36.0', '40.0', '2.0 (10%)', '10.0 (43%)', '9.0 (34%)', '3.0 (13%)', '18.0', '15.0', '–']);
    expect(lines.find((l) => l.startsWith('total'))?.split(/\s{2,}/)).toEqual(['total', '6', '46.7', '35.0', '90.0', '120.0', '3.0 (8%)', '17.5 (48%)', '9.5 (30%)', '5.5 (14%)', '40.8', '30.0', '–']);
    expect(text).toContain('Maturity: Basic (median MTTR 60.0 min), worsening (median 20.0 min over the range before)');
    expect(text).toContain('Bottleneck: diagnose, 48% of MTTR. Lever: observability and runbooks');
    // Every row of the table has the same width as the header.
    const table = lines.slice(2, lines.indexOf('', 2));
    expect(new Set(table.map((l) => l.length)).size).toBeLessThanOrEqual(2);
  });

  it('describes filters and shows dashes for an empty range', async () => {
    const text = formatReportTable(await mttrReport(t.store, { by: 'week', service: 'nobody', since: Date.UTC(2026, 0, 1) }));
    expect(text.split('\n')[0]).toBe('MTTR by ISO week (UTC, by detection time; minutes) · from 2026-01-01, service nobody');
    expect(text).toMatch(/^total\s+0\s+–\s+–/m);
  });

  it('renders CSV with a header, one row per period and the total, empty cells for no value', async () => {
    const csv = formatReportCsv(await mttrReport(t.store, { by: 'month' }));
    const rows = csv.trimEnd().split('\n').map((l) => l.split(','));
    expect(rows[0]).toEqual([
      'period', 'start', 'end', 'incidents', 'mttr_mean_min', 'mttr_median_min', 'mttr_p90_min', 'mttr_max_min',
      'detect_mean_min', 'detect_median_min', 'detect_share', 'diagnose_mean_min', 'diagnose_median_min', 'diagnose_share',
      'resolve_mean_min', 'resolve_median_min', 'resolve_share', 'verify_mean_min', 'verify_median_min', 'verify_share',
      'resolved_minus_detected_incidents', 'resolved_minus_detected_mean_min', 'resolved_minus_detected_median_min',
      'acknowledge_incidents', 'acknowledge_median_min', 'acknowledge_p90_min',
    ]);
    expect(rows[1]).toEqual([
      '2026-03', '2026-03-01T00:00:00.000Z', '2026-04-01T00:00:00.000Z', '3', '23.333', '20', '36', '40',
      '2.333', '2', '0.1', '10', '10', '0.4286', '8', '9', '0.3429', '3', '3', '0.1286', '3', '18', '15', '0', '', '',
    ]);
    expect(rows[3]?.slice(0, 4)).toEqual(['total', '', '', '6']);
    expect(rows).toHaveLength(4);
    const empty = formatReportCsv(await mttrReport(t.store, { by: 'month', service: 'nobody' })).trimEnd().split('\n');
    expect(empty[1]).toBe('total,,,0,,,,,,,,,,,,,,,,,0,,,0,,');
  });
});
