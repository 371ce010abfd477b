import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { systemClock } from '../../src/shared/clock.js';
import { openTestApp, type TestApp } from '../helpers/app.js';
import { runCli } from '../helpers/cli.js';
import { COMMAND_CENTER_CONFIG, seedCommandCenter } from '../helpers/command-center.js';

/** `medic dashboard --once`, end to end: from the local database and from a running server. */
describe('medic dashboard', () => {
  let t: TestApp;
  let url: string;
  let configFile: string;
  beforeAll(async () => {
    t = await openTestApp({ config: COMMAND_CENTER_CONFIG, clock: systemClock });
    await seedCommandCenter(t.core, (o) => t.app.inject({ ...o, headers: t.as('responder') }), Date.now());
    url = await t.app.listen({ port: 0, host: '127.0.0.1' });
    const dir = mkdtempSync(path.join(tmpdir(), 'medic-cli-dashboard-'));
    configFile = path.join(dir, 'medic.yaml');
    writeFileSync(configFile, `${COMMAND_CENTER_CONFIG}\nstorage: { url: "${t.rt.loaded.config.storage.url}" }\n`);
  });
  afterAll(async () => t?.close());

  const expectFrame = (stdout: string) => {
    expect(stdout).toMatch(/^Medic command center · last 5m vs the 5m before · /);
    expect(stdout).toMatch(/│ 25\.0% ▲12\.5 +│ │ 945 ms ▲86[89] +│ │ 2\.4 runs\/min ▲0\.8 +│/);
    expect(stdout).toMatch(/Active incidents \(2\)\n {2}P1 #\d+ PaymentErrors payment open 1[01]m after payment v2\.3\.1 \(2 min before\)\n {2}P3 #\d+ SearchSlow search open [56]m\n/);
    expect(stdout).toMatch(/Waiting for approval \(1\)\n {2}restart-payment webhook for #\d+ · \d+s · expires in 1[45]m · medic approve \d+\n/);
    expect(stdout).toMatch(/Error rate by service \(3\)\n {2}checkout █+ 37\.5%\n {2}auth {5}0\.0%\n {2}search {3}0\.0%\n/);
    expect(stdout).toMatch(/Monitors 2 up · 1 degraded · 1 down · 1 pending or paused\n {2}down {5}Checkout API checkout 3\ds · expected status 200, got 503\n {2}degraded Search search 3\ds\n/);
    expect(stdout).toMatch(/Recent deployments\n {2}search v7 \d\d:\d\d by ci\n {2}payment v2\.3\.1 \d\d:\d\d by ci just before #\d+\n/);
    expect(stdout).toMatch(/Flag changes\n {2}new_checkout_flow off \d\d:\d\d by r — checkout 500s\n/);
    expect(stdout).toMatch(/updated \d\d:\d\d:\d\d\n$/);
    expect(stdout).not.toContain('q quit');
  };

  it('prints one frame from the local database (--once)', async () => {
    const r = await runCli(['dashboard', '--once', '-c', configFile]);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expectFrame(r.stdout);
    expect(r.stdout.split('\n')[0]).toContain(' · sqlite ');
  });

  it('prints the same frame from a server’s API with a token', async () => {
    const r = await runCli(['dashboard', '--once', '--server', url, '--token', t.tokens.viewer]);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expectFrame(r.stdout);
    expect(r.stdout.split('\n')[0]).toContain(` · ${url}`);
  });

  it('exits 1 with the reason when the server refuses or cannot be reached, 2 on bad options', async () => {
    const refused = await runCli(['dashboard', '--once', '--server', url, '--token', 'mdk_wrong']);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toMatch(/HTTP 401: unknown or revoked token \(give --token or MEDIC_TOKEN\)/);
    const down = await runCli(['dashboard', '--once', '--server', 'http://127.0.0.1:9']);
    expect(down.code).toBe(1);
    expect(down.stderr).toMatch(/ECONNREFUSED/);
    for (const args of [['--window', '2h'], ['--interval', '100ms'], ['--server', 'medic.internal']]) {
      const r = await runCli(['dashboard', '--once', ...args, '-c', configFile]);
      expect(r.code, args.join(' ')).toBe(2);
      expect(r.stderr).not.toBe('');
    }
  });
});
