import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { Store } from '../../src/store/index.js';
import { runCli } from '../helpers/cli.js';
import { insertIncidents } from '../report/helpers.js';
import { KNOWN } from '../report/known.js';

describe('medic report', () => {
  let file: string;
  beforeAll(async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'medic-cli-report-'));
    file = path.join(dir, 'medic.yaml');
    writeFileSync(file, `storage: { url: "sqlite://${dir}/medic.db" }\n`);
    const store = await Store.open({ url: `sqlite://${dir}/medic.db` });
    await insertIncidents(store, KNOWN);
    await store.close();
  });

  it('prints the table with maturity and the bottleneck and its lever, exit 0', async () => {
    const r = await runCli(['report', '-c', file]);
    expect(r.code).toBe(0);
    const lines = r.stdout.split('\n');
    expect(lines[0]).toBe('MTTR by month (UTC, by detection time; minutes)');
    expect(lines.find((l) => l.startsWith('total'))?.split(/\s{2,}/)).toEqual(['total', '6', '46.7', '35.0', '90.0', '120.0', '3.0 (8%)', '17.5 (48%)', '9.5 (30%)', '5.5 (14%)', '40.8', '30.0', '–']);
    expect(r.stdout).toContain('Maturity: Intermediate (median MTTR 35.0 min); no trend: the range has no start, so no range before it');
    expect(r.stdout).toContain('Bottleneck: diagnose, 48% of MTTR. Lever: observability and runbooks');
  });

  it('compares a range with the one before it, by week, filtered', async () => {
    const r = await runCli(['report', '--since', '2026-04-01', '--until', '2026-05-01', '-c', file]);
    expect(r.stdout).toContain('Maturity: Basic (median MTTR 60.0 min), worsening (median 20.0 min over the range before)');
    const weeks = await runCli(['report', '--by', 'week', '--service', 'payments', '--severity', 'P1', '-c', file]);
    expect(weeks.stdout).toMatch(/^MTTR by ISO week .* service payments, severity P1$/m);
    expect(weeks.stdout).toMatch(/^2026-W11\s+1\s+40\.0/m);
  });

  it('prints JSON and CSV', async () => {
    const json = JSON.parse((await runCli(['report', '--json', '-c', file])).stdout);
    expect(json.report.total.mttr).toEqual({ mean: 280 / 6, median: 35, p90: 90, max: 120 });
    expect(json.bottleneck.phase).toBe('diagnose');
    const csv = (await runCli(['report', '--csv', '-c', file])).stdout.trimEnd().split('\n');
    expect(csv[0]!.split(',').slice(0, 4)).toEqual(['period', 'start', 'end', 'incidents']);
    expect(csv.map((l) => l.split(',')[0])).toEqual(['period', '2026-03', '2026-04', 'total']);
  });

  it('exits 2 on bad input', async () => {
    for (const args of [['--by', 'year'], ['--since', 'last tuesday'], ['--severity', 'high'], ['--json', '--csv'], ['--since', '2026-05-01', '--until', '2026-04-01'], ['--since', '2026-02-30']]) {
      const r = await runCli(['report', ...args, '-c', file]);
      expect(r.code, args.join(' ')).toBe(2);
      expect(r.stderr).not.toBe('');
    }
  });
});
