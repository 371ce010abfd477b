import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadConfigFile } from '../../src/config/index.js';
import { getTimeline, ingestAlerts } from '../../src/incidents/index.js';
import { openRuntime } from '../../src/runtime/bootstrap.js';
import { buildCore } from '../../src/runtime/core.js';
import { silentLogger } from '../../src/shared/logger.js';
import { runCli } from '../helpers/cli.js';
import { alert } from '../helpers/incidents.js';

describe('medic flags', () => {
  let file: string;
  let incidentId: number;
  beforeAll(async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'medic-cli-flags-'));
    file = path.join(dir, 'medic.yaml');
    writeFileSync(file, `storage: { url: "sqlite://${dir}/medic.db" }\nflags:\n  - { key: new_checkout_flow, rollout: 25%, service: checkout }\n  - { key: dark_mode, enabled: false }\n`);
    // As the server would: it applies medic.yaml's flags.
    const rt = await openRuntime(loadConfigFile(file), { logger: silentLogger, applyConfig: true });
    const core = await buildCore(rt);
    const [r] = await ingestAlerts(core.incidents, [alert({ name: 'CheckoutErrors', service: 'checkout', startsAt: Date.now() - 60_000 })], 'alertmanager');
    incidentId = r!.incidentId!;
    await rt.store.close();
  });

  it('lists flags with state, rollout and the last change, as a table and as JSON', async () => {
    const table = await runCli(['flags', 'list', '-c', file]);
    expect(table.code).toBe(0);
    expect(table.stdout).toMatch(/^KEY\s+STATE\s+ROLLOUT\s+SERVICE\s+VERSION\s+LAST CHANGE/);
    expect(table.stdout).toMatch(/dark_mode\s+off\s+100%\s+—\s+v1\s+\S+ ago by config: added in medic.yaml \(absent → off\)/);
    expect(table.stdout).toMatch(/new_checkout_flow\s+on\s+25%\s+checkout\s+v1/);
    const json = JSON.parse((await runCli(['flags', 'list', '--json', '-c', file])).stdout);
    expect(json.flags.map((f: { key: string; enabled: boolean }) => [f.key, f.enabled])).toEqual([['dark_mode', false], ['new_checkout_flow', true]]);
  });

  it('disables a flag for an incident (its fix) and enables it again with a rollout', async () => {
    const off = await runCli(['flags', 'disable', 'new_checkout_flow', '--reason', 'checkout 500s', '--incident', String(incidentId), '-c', file]);
    expect(off.code, off.stderr).toBe(0);
    expect(off.stdout).toContain(`new_checkout_flow is now off (v2, change #3, the fix of incident #${incidentId})`);
    expect((await runCli(['flags', 'disable', 'new_checkout_flow', '--reason', 'again', '-c', file])).stdout).toContain('already off; nothing changed');

    const on = await runCli(['flags', 'enable', 'new_checkout_flow', '--reason', 'fixed', '--rollout', '10%', '-c', file]);
    expect(on.stdout).toMatch(/new_checkout_flow is now on at 10% \(v3/);
    const list = await runCli(['flags', 'list', '-c', file]);
    expect(list.stdout).toMatch(/new_checkout_flow\s+on\s+10%\s+checkout\s+v3\s+\S+ ago by cli:\S+: fixed \(off → on 10%\)/);

    const rt = await openRuntime(loadConfigFile(file), { logger: silentLogger });
    try {
      const events = (await getTimeline(rt.store.db, incidentId)).filter((e) => e.type === 'flag_changed');
      expect(events.map((e) => [e.payload.source, e.payload.fix ?? false])).toEqual([['cli', true], ['cli', false]]);
      expect(events[0]!.actor).toMatch(/^cli:/);
    } finally {
      await rt.store.close();
    }
  });

  it('never resets flags from its own config file: only a starting Medic applies medic.yaml', async () => {
    const other = path.join(path.dirname(file), 'other.yaml');
    writeFileSync(other, `storage: { url: "sqlite://${path.dirname(file)}/medic.db" }\n`);
    const json = JSON.parse((await runCli(['flags', 'list', '--json', '-c', other])).stdout);
    expect(json.flags.map((f: { key: string }) => f.key)).toEqual(['dark_mode', 'new_checkout_flow']);
  });

  it('exits 2 on bad input: no reason, an unknown flag or incident, a bad rollout or incident id', async () => {
    const noReason = await runCli(['flags', 'disable', 'dark_mode', '-c', file]);
    expect(noReason.code).toBe(2);
    expect(noReason.stderr).toMatch(/--reason/);
    const unknown = await runCli(['flags', 'disable', 'nope', '--reason', 'x', '-c', file]);
    expect(unknown).toMatchObject({ code: 2, stderr: 'no flag "nope"\n' });
    expect((await runCli(['flags', 'enable', 'dark_mode', '--reason', 'x', '--incident', '777', '-c', file])).stderr).toBe('no incident 777\n');
    expect((await runCli(['flags', 'enable', 'dark_mode', '--reason', 'x', '--rollout', 'half', '-c', file])).code).toBe(2);
    expect((await runCli(['flags', 'enable', 'dark_mode', '--reason', 'x', '--incident', 'abc', '-c', file])).code).toBe(2);
    expect(JSON.parse((await runCli(['flags', 'list', '--json', '-c', file])).stdout).flags[0]).toMatchObject({ key: 'dark_mode', enabled: false, version: 1 });
  });
});
