import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { Store } from '../../src/store/index.js';
import { runCli } from '../helpers/cli.js';
import { incidentRow } from '../report/helpers.js';

const DAY = 86_400_000;

describe('medic coverage --automation', () => {
  let file: string;
  beforeAll(async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'medic-cli-automation-'));
    file = path.join(dir, 'medic.yaml');
    writeFileSync(file, `storage: { url: "sqlite://${dir}/medic.db" }\nrunbooks:\n  - { name: errors, alert: HighErrorRate, steps: [{ name: a, run: "true" }] }\n`);
    const store = await Store.open({ url: `sqlite://${dir}/medic.db` });
    const at = (daysAgo: number) => new Date(Date.now() - daysAgo * DAY).toISOString();
    const rows = [
      ...[2, 3, 4].map((d) => ({ ...incidentRow({ detected: at(d), service: 'payment', resolve: 12 }), alert_name: 'HighErrorRate' })),
      ...[5, 6].map((d) => ({ ...incidentRow({ detected: at(d), service: 'db', resolve: 30 }), alert_name: 'DiskFull' })),
      { ...incidentRow({ detected: at(120), service: 'db', resolve: 30 }), alert_name: 'OldAlert' },
    ];
    await store.db.insertInto('incidents').values(rows).execute();
    await store.close();
  });

  it('prints the types of the last 90 days, the ones to automate first', async () => {
    const r = await runCli(['coverage', '--automation', '-c', file]);
    expect(r.code).toBe(0);
    const lines = r.stdout.split('\n');
    expect(lines[0]).toMatch(/^Incident types without automation, \d{4}-\d\d-\d\d to \d{4}-\d\d-\d\d \(by count\)$/);
    expect(lines.slice(2, 4)).toEqual(['#  alert          service  incidents  time lost  median MTTR  runbook  remediation', '1  HighErrorRate  payment  3          36m        12m          ✓        ✗']);
    expect(r.stdout).toContain('2  DiskFull       db       2          1h         30m          ✗        ✗');
    expect(r.stdout).not.toContain('OldAlert');
  });

  it('prints JSON as the API answers, and honours --since', async () => {
    const json = JSON.parse((await runCli(['coverage', '--automation', '--json', '--since', '150d', '-c', file])).stdout);
    expect(json.types[0]).toEqual({ alert: 'HighErrorRate', service: 'payment', incidents: 3, time_lost_ms: 36 * 60_000, median_mttr_ms: 12 * 60_000, runbook: true, remediation: false });
    expect(json.types.map((t: { alert: string }) => t.alert)).toEqual(['HighErrorRate', 'DiskFull', 'OldAlert']);
    expect(json.top).toBe(3);
  });

  it('exits 2 on bad input', async () => {
    for (const args of [['--automation', '--since', 'last tuesday'], ['--since', '30d'], ['--automation', '--fail-on-gap'], ['--automation', '--since', '2999-01-01']]) {
      const r = await runCli(['coverage', ...args, '-c', file]);
      expect(r.code, args.join(' ')).toBe(2);
    }
  });
});
