import { copyFileSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { deriveState, getTimeline } from '../../src/incidents/index.js';
import { CsvError, importIncidents, importedSeverity, mttrReport, parseCsv } from '../../src/report/index.js';
import { parseIsoInstant } from '../../src/shared/time.js';
import { Store } from '../../src/store/index.js';
import { runCli } from '../helpers/cli.js';
import { ENGINES, openTestStore, type TestStore } from '../helpers/stores.js';

const fixture = (name: string) => path.join(import.meta.dirname, 'fixtures', name);
const read = (name: string) => readFileSync(fixture(name), 'utf8');
const NOW = Date.UTC(2026, 10, 27, 12);

describe('CSV reader (csv-parse)', () => {
  it('reads quoted fields with commas, doubled quotes and line breaks, CRLF, a BOM and blank lines', () => {
    const records = parseCsv('\uFEFFa,b,c\r\n"x, y","say ""hi""","two\r\nlines"\r\n\r\n1,,3\n,\nlast,row,without newline');
    expect(records).toEqual([
      { line: 1, fields: ['a', 'b', 'c'] },
      { line: 2, fields: ['x, y', 'say "hi"', 'two\nlines'] },
      { line: 5, fields: ['1', '', '3'] },
      { line: 6, fields: ['', ''] },
      { line: 7, fields: ['last', 'row', 'without newline'] },
    ]);
    // Sloppy exports: a quote inside an unquoted field is a character, a short row is read as it is.
    expect(parseCsv('a"b,c\nd\n')).toEqual([
      { line: 1, fields: ['a"b', 'c'] },
      { line: 2, fields: ['d'] },
    ]);
  });

  it('says on which line the record that never closes its quote starts', () => {
    expect(() => parseCsv('a,b\n1,2\n\n\n3,"open\n4,5\n')).toThrow(new CsvError(5, 'Quote Not Closed: the parsing is finished with an opening quote at line 6'));
  });
});

describe('import details', () => {
  it('reads ISO-8601 times with any offset, strictly', () => {
    expect(parseIsoInstant('2026-03-02T10:00:00Z')).toBe(Date.UTC(2026, 2, 2, 10));
    expect(parseIsoInstant('2026-03-02T15:30:00+05:30')).toBe(Date.UTC(2026, 2, 2, 10));
    expect(parseIsoInstant('2026-03-02 02:00:00-0800')).toBe(Date.UTC(2026, 2, 2, 10));
    expect(parseIsoInstant('2026-03-02T12:00+02')).toBe(Date.UTC(2026, 2, 2, 10));
    expect(parseIsoInstant('2026-03-02T10:00:00.250Z')).toBe(Date.UTC(2026, 2, 2, 10, 0, 0, 250));
    expect(parseIsoInstant('2026-03-02T10:00:00')).toBe(Date.UTC(2026, 2, 2, 10));
    expect(parseIsoInstant('2026-03-02')).toBe(Date.UTC(2026, 2, 2));
    for (const bad of ['2026-02-30T00:00:00Z', '2026-13-01', '2026-03-02T24:00:00Z', '2026-03-02T10:00:00+25:00', 'yesterday', '03/02/2026', '']) {
      expect(parseIsoInstant(bad), bad).toBeUndefined();
    }
  });

  it('maps severities, priorities and PagerDuty urgencies to P1–P4', () => {
    const sev = (column: string, value: string) => importedSeverity([{ column, value }]);
    expect(sev('urgency', 'high')).toBe('P1');
    expect(sev('urgency', 'low')).toBe('P3');
    expect(sev('priority', 'P5')).toBe('P4');
    expect(sev('priority', 'SEV2')).toBe('P2');
    expect(sev('severity', 'critical')).toBe('P1');
    expect(sev('severity', 'warning')).toBe('P3');
    expect(sev('severity', 'whatever')).toBe('P3');
    expect(importedSeverity([{ column: 'priority', value: '' }, { column: 'urgency', value: 'high' }])).toBe('P1');
    expect(importedSeverity([{ column: 'priority', value: 'P2' }, { column: 'urgency', value: 'high' }])).toBe('P2');
  });
});

describe.each(ENGINES)('importing past incidents on %s', (engine) => {
  let t: TestStore;
  beforeAll(async () => {
    t = await openTestStore(engine);
  });
  afterAll(async () => t?.cleanup());

  it('imports a PagerDuty CSV, says which rows it skipped and why, and adds nothing the second time', async () => {
    const first = await importIncidents(t.store, read('pagerduty-incidents.csv'), 'pagerduty-incidents.csv', { now: NOW });
    expect(first).toMatchObject({ format: 'pagerduty', rows: 11, imported: 4 });
    expect(first.columns).toMatchObject({ id: ['id'], title: ['description'], service: ['service_name'], severity: ['priority', 'urgency'], created_at: ['created_on'], acknowledged_at: ['acknowledged_on'], resolved_at: ['resolved_on'] });
    expect(first.columns.id).toEqual(['id']);
    expect(first.skipped).toEqual([
      { line: 6, id: 'PD4', reason: 'bad date in created_on: "yesterday"' },
      { line: 7, id: null, reason: 'missing id' },
      { line: 8, id: 'PD6', reason: 'resolved before created' },
      { line: 9, id: 'PD7', reason: 'not resolved (no resolved time): only recovered incidents have an MTTR' },
      { line: 10, id: 'PD1', reason: 'duplicate id (first on line 2)' },
      { line: 11, id: 'PD9', reason: 'acknowledged before created' },
      { line: 13, id: 'PD11', reason: 'bad date in created_on: "2026-02-30T00:00:00Z"' },
    ]);

    const again = await importIncidents(t.store, read('pagerduty-incidents.csv'), 'pagerduty-incidents.csv', { now: NOW });
    expect(again.imported).toBe(0);
    expect(again.skipped.filter((s) => s.reason === 'already imported').map((s) => s.id)).toEqual(['PD1', 'PD2', 'PD3', 'PD10']);

    const rows = await t.store.db.selectFrom('incidents').selectAll().where('source', '=', 'import').orderBy('id').execute();
    expect(rows.map((r) => [r.external_id, r.title, r.service, r.severity, r.status, r.mttr_ms])).toEqual([
      ['pagerduty:PD1', 'Payment errors, EU', 'payment-service', 'P1', 'closed', 30 * 60_000],
      ['pagerduty:PD2', 'Checkout slow', 'checkout', 'P2', 'closed', 45 * 60_000],
      ['pagerduty:PD3', 'Search down:\nindex rebuild', 'search', 'P1', 'closed', 60 * 60_000],
      ['pagerduty:PD10', 'Quotes "inside" the title', 'api', 'P3', 'closed', 20 * 60_000],
    ]);
    expect(rows[1]).toMatchObject({ started_at: Date.UTC(2026, 2, 10, 7), detected_at: Date.UTC(2026, 2, 10, 7), resolved_at: Date.UTC(2026, 2, 10, 7, 45), verified_at: null, diagnosed_at: null });
    expect(rows[0]).toMatchObject({ acknowledged_at: Date.UTC(2026, 2, 2, 10, 5), detect_ms: 0, diagnose_ms: 0, resolve_ms: 30 * 60_000, verify_ms: 0 });

    // The timeline is the source of truth for imported incidents too.
    const timeline = await getTimeline(t.store.db, Number(rows[0]!.id));
    expect(timeline.map((e) => [e.type, e.actor])).toEqual([
      ['opened', 'import'],
      ['acknowledged', 'import'],
      ['resolved', 'import'],
    ]);
    expect(deriveState(timeline)).toMatchObject({ started_at: rows[0]!.started_at, detected_at: rows[0]!.detected_at, acknowledged_at: rows[0]!.acknowledged_at, resolved_at: rows[0]!.resolved_at });

    // MTTR 30, 45, 60 (March) and 20 (April) minutes, all of it resolve; detect, diagnose, verify 0.
    const report = await mttrReport(t.store, { by: 'month', since: Date.UTC(2026, 0, 1), until: Date.UTC(2026, 4, 1) });
    expect(report.periods.map((p) => [p.period, p.incidents, p.mttr.mean, p.mttr.median])).toEqual([
      ['2026-03', 3, 45, 45],
      ['2026-04', 1, 20, 20],
    ]);
    expect(report.total.mttr).toEqual({ mean: 38.75, median: 37.5, p90: 55.5, max: 60 });
    expect(report.total.phases.resolve).toEqual({ mean: 38.75, median: 37.5, share: 1 });
    expect(report.total.phases.detect).toEqual({ mean: 0, median: 0, share: 0 });
    expect(report.total.resolvedMinusDetected).toEqual({ incidents: 4, mean: 38.75, median: 37.5 });
  });

  it('imports an Opsgenie CSV, with the impact start as started_at', async () => {
    const r = await importIncidents(t.store, read('opsgenie-incidents.csv'), 'opsgenie-incidents.csv', { now: NOW });
    expect(r).toMatchObject({ format: 'opsgenie', rows: 3, imported: 2, skipped: [{ line: 4, id: '3', reason: 'impact started after the incident was created' }] });
    const rows = await t.store.db.selectFrom('incidents').selectAll().where('external_id', 'like', 'opsgenie:%').orderBy('id').execute();
    expect(rows.map((x) => [x.external_id, x.title, x.severity, x.detect_ms, x.resolve_ms, x.mttr_ms])).toEqual([
      ['opsgenie:1', 'Database failover', 'P1', 5 * 60_000, 45 * 60_000, 50 * 60_000],
      ['opsgenie:2', 'Queue backlog', 'P4', 0, 10 * 60_000, 10 * 60_000],
    ]);
  });

  it('imports a generic JSON export (nested objects, Unix times)', async () => {
    const r = await importIncidents(t.store, read('generic-incidents.json'), 'generic-incidents.json', { now: NOW });
    expect(r).toMatchObject({ format: 'generic', rows: 3, imported: 2, skipped: [{ line: 3, id: 'INC-3' }] });
    const rows = await t.store.db.selectFrom('incidents').selectAll().where('external_id', 'like', 'generic:%').orderBy('id').execute();
    expect(rows.map((x) => [x.external_id, x.title, x.service, x.severity, x.acknowledged_at, x.mttr_ms])).toEqual([
      ['generic:INC-1', 'Login failures', 'auth', 'P1', Date.UTC(2026, 5, 1, 7, 2), 40 * 60_000],
      ['generic:2', 'Search down', 'search', 'P2', null, 30 * 60_000],
    ]);
  });

  it('strips NUL bytes and other control characters from what it imports (PostgreSQL refuses a NUL)', async () => {
    const csv = 'id,title,service,severity,created_at,resolved_at\nNUL-1,"Pay\u0000ments \u001b[31mdown",pay\u0007,P1,2026-06-03T10:00:00Z,2026-06-03T10:30:00Z\n';
    const r = await importIncidents(t.store, csv, 'nul.csv', { now: NOW });
    expect(r).toMatchObject({ imported: 1 });
    const json = JSON.stringify([{ id: 'NUL-2', title: 'Queue\u0000 stuck', service: 'q', created_at: '2026-06-03T11:00:00Z', resolved_at: '2026-06-03T11:10:00Z' }]);
    expect(await importIncidents(t.store, json, 'nul.json', { now: NOW })).toMatchObject({ imported: 1 });
    const rows = await t.store.db.selectFrom('incidents').select(['title', 'service']).where('external_id', 'in', ['generic:NUL-1', 'generic:NUL-2']).orderBy('external_id').execute();
    expect(rows).toEqual([{ title: 'Payments [31mdown', service: 'pay' }, { title: 'Queue stuck', service: 'q' }]);
  });

  it('reads columns of other names with --map', async () => {
    await expect(importIncidents(t.store, read('custom-columns.csv'), 'custom-columns.csv', { now: NOW })).rejects.toThrow(/no id column/);
    const r = await importIncidents(t.store, read('custom-columns.csv'), 'custom-columns.csv', { now: NOW, map: ['Ticket=id', 'headline=title', 'Opened=created', 'Closed=resolved_at', 'Team=service'] });
    expect(r).toMatchObject({ format: 'generic', imported: 2, skipped: [] });
    const rows = await t.store.db.selectFrom('incidents').select(['external_id', 'title', 'service', 'mttr_ms']).where('external_id', 'like', 'generic:T-%').orderBy('id').execute();
    expect(rows).toEqual([
      { external_id: 'generic:T-1', title: 'Disk full', service: 'storage', mttr_ms: 25 * 60_000 },
      { external_id: 'generic:T-2', title: 'Cert expired', service: 'edge', mttr_ms: 60 * 60_000 },
    ]);
    await expect(importIncidents(t.store, read('custom-columns.csv'), 'custom-columns.csv', { now: NOW, map: ['Nope=id'] })).rejects.toThrow(/no column "Nope"/);
    await expect(importIncidents(t.store, read('custom-columns.csv'), 'custom-columns.csv', { now: NOW, map: ['Ticket=owner'] })).rejects.toThrow(/unknown field/);
  });
});

describe('medic import', () => {
  let dir: string;
  let config: string;
  beforeAll(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'medic-cli-import-'));
    config = path.join(dir, 'medic.yaml');
    writeFileSync(config, `storage: { url: "sqlite://${dir}/medic.db" }\n`);
    copyFileSync(fixture('pagerduty-incidents.csv'), path.join(dir, 'incidents.csv'));
  });

  it('prints what it imported and skipped, then reports the history', async () => {
    const r = await runCli(['import', path.join(dir, 'incidents.csv'), '-c', config]);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain(`Imported 4 of 11 rows from ${path.join(dir, 'incidents.csv')} (PagerDuty export)`);
    expect(r.stdout).toMatch(/^Columns: id ← id, title ← description, service ← service_name, severity ← priority \| urgency, created_at ← created_on/m);
    expect(r.stdout).toMatch(/^Skipped 7:$/m);
    expect(r.stdout).toMatch(/^ {2}line 6\s+PD4\s+bad date in created_on: "yesterday"$/m);
    const twice = await runCli(['import', path.join(dir, 'incidents.csv'), '--json', '-c', config]);
    expect(JSON.parse(twice.stdout)).toMatchObject({ imported: 0 });
    const report = JSON.parse((await runCli(['report', '--json', '-c', config])).stdout);
    expect(report.report.total).toMatchObject({ incidents: 4, mttr: { median: 37.5 } });
    const store = await Store.open({ url: `sqlite://${dir}/medic.db` });
    try {
      expect(await store.db.selectFrom('incidents').select('id').execute()).toHaveLength(4);
    } finally {
      await store.close();
    }
  });

  it("reads a spreadsheet's export: a byte order mark, CRLF, line breaks in quoted cells, counted in the lines it reports", async () => {
    const file = path.join(dir, 'spreadsheet-export.csv');
    copyFileSync(fixture('spreadsheet-export.csv'), file);
    const r = await runCli(['import', file, '--json', '-c', config]);
    expect(r.code, r.stderr).toBe(0);
    const report = JSON.parse(r.stdout);
    // Without the BOM dropped, the first column would be named "\uFEFFid".
    expect(report).toMatchObject({ format: 'generic', rows: 4, imported: 2, columns: { id: ['id'] } });
    expect(report.skipped).toEqual([
      { line: 6, id: 'X-3', reason: 'not resolved (no resolved time): only recovered incidents have an MTTR' },
      { line: 8, id: 'X-4', reason: 'bad date in created_at: "06/05/2026"' },
    ]);
    const store = await Store.open({ url: `sqlite://${dir}/medic.db` });
    try {
      const rows = await store.db.selectFrom('incidents').select(['external_id', 'title', 'service']).where('external_id', 'like', 'generic:X-%').orderBy('external_id').execute();
      expect(rows).toEqual([
        { external_id: 'generic:X-1', title: 'Checkout down\nafter the deploy', service: 'checkout' },
        { external_id: 'generic:X-2', title: 'Queue stuck, retried', service: 'queue' },
      ]);
    } finally {
      await store.close();
    }
  });

  it('refuses a CSV whose quote never closes, says on which line, and imports none of it', async () => {
    const file = path.join(dir, 'broken-quote.csv');
    copyFileSync(fixture('broken-quote.csv'), file);
    const r = await runCli(['import', file, '-c', config]);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe(`${file}: not valid CSV: line 3: Quote Not Closed: the parsing is finished with an opening quote at line 4\n`);
    const store = await Store.open({ url: `sqlite://${dir}/medic.db` });
    try {
      expect(await store.db.selectFrom('incidents').select('id').where('external_id', 'like', 'generic:B-%').execute()).toEqual([]);
    } finally {
      await store.close();
    }
  });

  it('exits 2 for a missing file, a bad format or --map, an unreadable file', async () => {
    expect((await runCli(['import', path.join(dir, 'nope.csv'), '-c', config])).code).toBe(2);
    expect((await runCli(['import', path.join(dir, 'incidents.csv'), '--format', 'jira', '-c', config])).code).toBe(2);
    expect((await runCli(['import', path.join(dir, 'incidents.csv'), '--map', 'nonsense', '-c', config])).code).toBe(2);
    writeFileSync(path.join(dir, 'broken.json'), '[{"id": 1,');
    const broken = await runCli(['import', path.join(dir, 'broken.json'), '-c', config]);
    expect(broken.code).toBe(2);
    expect(broken.stderr).toMatch(/not valid JSON/);
  });
});
