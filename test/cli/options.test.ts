import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { insertCheckResult, insertMonitor, openHarness } from '../helpers/automation.js';
import { runBin, runCli, spawnBin } from '../helpers/cli.js';

// Every option value is checked by commander before anything opens, and a bad one exits 2 with
// commander's own message. The built CLI (bin/medic.js) as a user runs it, and in-process for the rest
// of the table (the same program; a process per row would take minutes on a loaded machine).
describe('medic option errors', () => {
  let dir: string;
  let config: string;
  beforeAll(() => {
    // No medic.yaml and no demo data here: a command that got past its options would fail differently.
    dir = mkdtempSync(path.join(tmpdir(), 'medic-options-'));
    config = path.join(dir, 'medic.yaml');
  });

  it.each([
    [['incidents', '--limit', 'abc'], "error: option '--limit <n>' argument 'abc' is invalid. expected a whole number from 1 to 500\n"],
    [['report', '--by', 'year'], "error: option '--by <unit>' argument 'year' is invalid. Allowed choices are month, week.\n"],
    // Each command takes only the options it reads: ack never did anything with a cause or a note.
    [['incident', 'ack', '12', '--cause', 'pool exhausted'], "error: unknown option '--cause'\n"],
  ])('bin/medic.js %j exits 2 with commander\'s message and nothing else', async (args, message) => {
    const r = await runBin(args, { cwd: dir });
    expect(r).toMatchObject({ code: 2, stderr: message, stdout: '' });
  }, 60_000);

  it.each([
    [['incidents', '--limit', '0'], "error: option '--limit <n>' argument '0' is invalid. expected a whole number from 1 to 500"],
    [['report', '--by', 'year'], "error: option '--by <unit>' argument 'year' is invalid. Allowed choices are month, week."],
    [['report', '--severity', 'high'], "error: option '--severity <severity>' argument 'high' is invalid. Allowed choices are P1, P2, P3, P4."],
    [['report', '--since', 'last tuesday'], "error: option '--since <time>' argument 'last tuesday' is invalid. expected an ISO 8601 date or time"],
    [['report', '--json', '--csv'], "error: option '--csv' cannot be used with option '--json'"],
    [['import', 'x.csv', '--format', 'jira'], "error: option '--format <format>' argument 'jira' is invalid. Allowed choices are pagerduty, opsgenie, generic."],
    [['import', 'x.csv', '--map', 'nonsense'], `error: option '--map <column=field>' argument 'nonsense' is invalid. --map "nonsense": expected column=field`],
    [['token', 'create', '--role', 'root'], "error: option '--role <role>' argument 'root' is invalid. Allowed choices are viewer, responder, admin, flags."],
    [['token', 'create'], "error: required option '--role <role>' not specified"],
    [['start', '--port', '70000'], "error: option '--port <port>' argument '70000' is invalid. expected a whole number from 0 to 65535"],
    [['verify', 'auth', '--window', 'soon'], "error: option '--window <duration>' argument 'soon' is invalid. expected a duration such as 30s or 5m"],
    [['dashboard', '--window', '2h'], "error: option '--window <duration>' argument '2h' is invalid. expected a duration from 1m to 1h"],
    [['dashboard', '--server', 'medic.internal'], "error: option '--server <url>' argument 'medic.internal' is invalid. expected an http:// or https:// URL"],
    [['deploy', 'shop', 'v2', '--url', 'not a url'], "error: option '--url <url>' argument 'not a url' is invalid. expected an absolute URL"],
    [['flags', 'enable', 'dark', '--reason', 'x', '--rollout', 'half'], "error: option '--rollout <percent>' argument 'half' is invalid. expected a percentage such as 25%"],
    [['flags', 'disable', 'dark', '--reason', ' '], "error: option '--reason <text>' argument ' ' is invalid. expected some text"],
    [['flags', 'disable', 'dark'], "error: required option '--reason <text>' not specified"],
    [['incident', 'ack', '12', '--note', 'on it'], "error: unknown option '--note'"],
    [['incident', 'diagnose', '12'], "error: required option '--cause <text>' not specified"],
    [['incident', 'show', 'abc'], "error: command-argument value 'abc' is invalid for argument 'id'. expected an incident id (a positive number)"],
    [['incident', 'show', '12abc'], "error: command-argument value '12abc' is invalid for argument 'id'. expected an incident id (a positive number)"],
    [['approve', '0'], "error: command-argument value '0' is invalid for argument 'attemptId'. expected an attempt id (a positive number)"],
    [['schema', '-c', 'medic.yaml'], "error: unknown option '-c'"],
  ])('medic %j exits 2 with commander\'s message', async (args, message) => {
    const r = await runCli([...args]);
    expect(r.code).toBe(2);
    expect(r.stderr.startsWith(message), r.stderr).toBe(true);
    expect(r.stderr.trimEnd().split('\n')).toHaveLength(1);
    expect(r.stdout).toBe('');
  });

  it('bin/medic.js hands the parsed values to the command: --limit 1 lists one incident of two', async () => {
    writeFileSync(config, `storage: { url: "sqlite://${dir}/medic.db" }\n`);
    const csv = path.join(dir, 'past.csv');
    writeFileSync(csv, 'id,title,created_at,resolved_at\nA-1,Disk full,2026-03-01T10:00:00Z,2026-03-01T10:30:00Z\nA-2,Cert expired,2026-03-02T10:00:00Z,2026-03-02T11:00:00Z\n');
    const imported = await runCli(['import', csv, '-c', config, '--json']);
    expect(imported.code, imported.stderr).toBe(0);
    expect(JSON.parse(imported.stdout)).toMatchObject({ imported: 2 });
    const listed = await runBin(['incidents', '--limit', '1', '--json', '-c', config], { cwd: dir });
    expect(listed.code, listed.stderr).toBe(0);
    const { incidents, total } = JSON.parse(listed.stdout) as { incidents: { title: string }[]; total: number };
    expect(total).toBe(2);
    expect(incidents.map((i) => i.title)).toEqual(['Cert expired']);
  }, 60_000);

  it('bin/medic.js: Ctrl-C stops a verification watch: it reports what it saw and exits 1', async () => {
    const url = `sqlite://${path.join(dir, 'watch.db')}`;
    const file = path.join(dir, 'watch.yaml');
    writeFileSync(file, `storage: { url: "${url}" }\nservices: [{ name: auth }]\n`);
    const h = await openHarness('sqlite', 'services: [{ name: auth }]', { url });
    await insertCheckResult(h, await insertMonitor(h, 'login', 'auth'), 'down', Date.now(), 'HTTP 503');
    await h.core.rt.store.close();

    const medic = spawnBin(['verify', 'auth', '--window', '1h', '--interval', '1s', '-c', file], { cwd: dir });
    const until = Date.now() + 20_000;
    while (!medic.stdout().includes('Monitors: 0/1 passing')) {
      if (Date.now() > until) throw new Error(`no evaluation printed: ${medic.stdout()}`);
      await new Promise((r) => setTimeout(r, 50));
    }
    const interrupted = Date.now();
    medic.child.kill('SIGINT');
    const r = await medic.exited;
    expect(r.signal).toBeNull();
    expect(r.code).toBe(1);
    expect(r.stdout.trimEnd().split('\n').at(-1)).toBe('✗ Service did not recover within the expected window.');
    // The one-hour window ended at the signal, not after it.
    expect(Date.now() - interrupted).toBeLessThan(10_000);
  }, 60_000);
});
