import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { loadConfigText } from '../../src/config/index.js';
import { automationReport, formatAutomation, type AutomationType } from '../../src/report/index.js';
import type { NewRow } from '../../src/store/index.js';
import { ENGINES, openTestStore, type TestStore } from '../helpers/stores.js';
import { incidentRow, MINUTE } from './helpers.js';

const DAY = 86_400_000;
const UNTIL = Date.UTC(2026, 11, 1);
const SINCE = UNTIL - 90 * DAY;

/** A runbook for every HighErrorRate, one for anything in the shop namespace; a remediation rule for HighErrorRate on payment only. */
const { config } = loadConfigText(
  `runbooks:
  - { name: errors, alert: HighErrorRate, steps: [{ name: a, run: "true" }] }
  - { name: shop, match: { namespace: shop }, steps: [{ name: a, run: "true" }] }
remediation:
  - { alert: HighErrorRate, match: { service: payment }, action: { type: webhook, url: "http://127.0.0.1:9/fix" } }
  - { name: off, alert: DiskFull, enabled: false, action: { type: webhook, url: "http://127.0.0.1:9/off" } }
`,
  { env: {} },
);

describe.each(ENGINES)('the top ten without automation on %s', (engine) => {
  let t: TestStore;
  beforeEach(async () => {
    t = await openTestStore(engine);
  });
  afterEach(async () => t?.cleanup());

  /** An incident of a type, detected `daysAgo` before UNTIL, recovered after `mttr` minutes (null: still open). */
  const row = (alert: string | null, service: string, daysAgo: number, mttr: number | null, labels: Record<string, string> = {}): NewRow<'incidents'> => {
    const r = incidentRow({ detected: new Date(UNTIL - daysAgo * DAY).toISOString(), service, detect: 0, diagnose: mttr === null ? null : 0, resolve: mttr, verify: null });
    return { ...r, alert_name: alert, labels: JSON.stringify(labels), ...(mttr === null ? { mttr_ms: null, resolve_ms: null, status: 'open' } : {}) };
  };
  const insert = (rows: NewRow<'incidents'>[]) => t.store.db.insertInto('incidents').values(rows).execute();
  const type = (alert: string | null, service: string, incidents: number, lost: number, median: number | null, runbook: boolean, remediation: boolean): AutomationType => ({
    alert,
    service,
    incidents,
    time_lost_ms: lost * MINUTE,
    median_mttr_ms: median === null ? null : median * MINUTE,
    runbook,
    remediation,
  });

  it('ranks types by count, with time lost and median MTTR, the ones lacking a runbook or a rule first', async () => {
    await insert([
      // Fully automated: runbook `errors`, the payment rule. 10+20+30+40 = 100 min, median 25.
      ...[10, 20, 30, 40].map((m, i) => row('HighErrorRate', 'payment', 10 + i, m)),
      // Runbook `errors`, but the rule is for payment only: 5+15 = 20, median 10.
      row('HighErrorRate', 'checkout', 5, 5),
      row('HighErrorRate', 'checkout', 6, 15),
      // Runbook `shop` through the latest incident's labels; one still open counts but costs nothing yet.
      row('HighLatency', 'checkout', 30, 60),
      row('HighLatency', 'checkout', 20, null),
      row('HighLatency', 'checkout', 2, 30, { namespace: 'shop' }),
      // Nothing matches (the DiskFull rule is disabled): 1+2+3 = 6, median 2.
      ...[1, 2, 3].map((m) => row('DiskFull', 'db', m, m)),
      // Opened by hand: no alert name, nothing to match.
      row(null, 'payment', 3, 7),
      // Outside the window: too old, and at its end (exclusive).
      row('DiskFull', 'db', 91, 5),
      row('DiskFull', 'db', 0, 5),
    ]);
    const report = await automationReport(t.store, config, { since: SINCE, until: UNTIL });
    expect(report).toStrictEqual({
      since: SINCE,
      until: UNTIL,
      top: 4,
      types: [
        type('HighLatency', 'checkout', 3, 90, 45, true, false),
        type('DiskFull', 'db', 3, 6, 2, false, false),
        type('HighErrorRate', 'checkout', 2, 20, 10, true, false),
        type(null, 'payment', 1, 7, 7, false, false),
        type('HighErrorRate', 'payment', 4, 100, 25, true, true),
      ],
    });
    expect(formatAutomation(report)).toBe(
      [
        'Incident types without automation, 2026-09-02 to 2026-12-01 (by count)',
        '',
        '#  alert          service   incidents  time lost  median MTTR  runbook  remediation',
        '1  HighLatency    checkout  3          1h30m      45m          ✓        ✗',
        '2  DiskFull       db        3          6m         2m           ✗        ✗',
        '3  HighErrorRate  checkout  2          20m        10m          ✓        ✗',
        '4  (no alert)     payment   1          7m         7m           ✗        ✗',
        '',
        'The rest, by count:',
        '5  HighErrorRate  payment   4          1h40m      25m          ✓        ✓',
        '',
        '4 of 5 incident types lack a runbook or a remediation rule; the first is the place to automate next.',
        '',
      ].join('\n'),
    );
  });

  it('puts only the ten worst first; the rest follow by count', async () => {
    const names = Array.from({ length: 11 }, (_, i) => `Alert${String(i + 1).padStart(2, '0')}`);
    await insert([...names.map((n) => row(n, 'svc', 1, 1)), ...[1, 2, 3, 4, 5].map((d) => row('HighErrorRate', 'payment', d, 1))]);
    const report = await automationReport(t.store, config, { since: SINCE, until: UNTIL });
    expect(report.top).toBe(10);
    expect(report.types.map((x) => x.alert)).toEqual([...names.slice(0, 10), 'HighErrorRate', 'Alert11']);
  });

  it('is empty without incidents in the window', async () => {
    const report = await automationReport(t.store, config, { since: SINCE, until: UNTIL });
    expect(report).toStrictEqual({ since: SINCE, until: UNTIL, top: 0, types: [] });
    expect(formatAutomation(report)).toBe('Incident types without automation, 2026-09-02 to 2026-12-01 (by count)\n\nNo incidents in this window.\n');
  });
});
