import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadConfigFile } from '../../src/config/index.js';
import { ingestAlerts } from '../../src/incidents/index.js';
import { openRuntime } from '../../src/runtime/bootstrap.js';
import { buildCore } from '../../src/runtime/core.js';
import { silentLogger } from '../../src/shared/logger.js';
import { runCli } from '../helpers/cli.js';
import { alert } from '../helpers/incidents.js';

describe('medic incidents / incident', () => {
  let file: string;
  let id: number;
  beforeAll(async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'medic-cli-inc-'));
    file = path.join(dir, 'medic.yaml');
    writeFileSync(file, `storage: { url: "sqlite://${dir}/medic.db" }\nservices: [{ name: payment }]\nstatus_page: { services: [payment] }\n`);
    const rt = await openRuntime(loadConfigFile(file), { logger: silentLogger, applyConfig: true });
    const core = await buildCore(rt);
    const [r] = await ingestAlerts(core.incidents, [alert({ name: 'PaymentErrors', service: 'payment', title: 'Payment errors', startsAt: Date.now() - 60_000 })], 'alertmanager');
    id = r!.incidentId!;
    await rt.store.close();
  });

  it('lists incidents as a table and as JSON', async () => {
    const table = await runCli(['incidents', '-c', file]);
    expect(table.code).toBe(0);
    expect(table.stdout).toMatch(new RegExp(`#${id}\\s+P2\\s+open\\s+payment\\s+.*Payment errors`));
    const json = JSON.parse((await runCli(['incidents', '--open', '--json', '-c', file])).stdout);
    expect(json).toMatchObject({ total: 1, incidents: [{ id, status: 'open' }] });
  });

  it('acknowledges, records the cause, resolves; show prints phases and the timeline', async () => {
    expect((await runCli(['incident', 'ack', String(id), '-c', file])).stdout).toContain(`#${id} is now acknowledged`);
    expect((await runCli(['incident', 'diagnose', String(id), '--cause', 'pool exhausted', '-c', file])).code).toBe(0);
    expect((await runCli(['incident', 'resolve', String(id), '--note', 'raised the pool', '-c', file])).stdout).toContain('is now resolved');
    const show = await runCli(['incident', 'show', String(id), '-c', file]);
    expect(show.code).toBe(0);
    expect(show.stdout).toMatch(/Incident #\d+ \[P2\] Payment errors/);
    expect(show.stdout).toMatch(/cause\s+pool exhausted/);
    expect(show.stdout).toMatch(/detect\s+1m/);
    expect(show.stdout).toMatch(/MTTR\s+\d/);
    expect(show.stdout).toMatch(/\+\d+\w*\s+cli:\S+\s+cause identified: pool exhausted/);
    expect(show.stdout).toMatch(/resolved: raised the pool/);
    // --json carries the same line per timeline entry as the text and the API (incidents/describe.ts).
    const json = JSON.parse((await runCli(['incident', 'show', String(id), '--json', '-c', file])).stdout);
    expect(json.timeline.find((e: { type: string }) => e.type === 'cause_identified')).toMatchObject({ actor: expect.stringMatching(/^cli:/), text: 'cause identified: pool exhausted' });
    expect(json.timeline.every((e: { text?: unknown }) => typeof e.text === 'string' && e.text !== '')).toBe(true);
  });

  it('posts a public update for the status page, and says why when it cannot', async () => {
    const ok = await runCli(['incident', 'update', String(id), '--status', 'identified', '--message', 'A database pool ran dry; we are adding capacity.', '-c', file]);
    expect(ok.stdout).toContain(`#${id}: public update posted (identified)`);
    expect(ok.code).toBe(0);
    const show = await runCli(['incident', 'show', String(id), '-c', file]);
    expect(show.stdout).toMatch(/cli:\S+\s+public update \(identified\): A database pool ran dry; we are adding capacity\./);
    const badStatus = await runCli(['incident', 'update', String(id), '--status', 'fixed', '--message', 'x', '-c', file]);
    expect(badStatus.code).toBe(2);
    expect(badStatus.stderr).toMatch(/--status.*'fixed' is invalid\. Allowed choices are investigating, identified, monitoring, resolved/);
    const noMessage = await runCli(['incident', 'update', String(id), '--status', 'identified', '-c', file]);
    expect(noMessage.code).toBe(2);
    expect(noMessage.stderr).toMatch(/required option '--message <text>' not specified/);
    expect((await runCli(['incident', 'update', '9999', '--status', 'identified', '--message', 'x', '-c', file])).code).toBe(2);
  });

  it('exits 2 on bad input: an unknown incident, a missing --cause, a bad id', async () => {
    expect((await runCli(['incident', 'ack', '9999', '-c', file])).code).toBe(2);
    const noCause = await runCli(['incident', 'diagnose', String(id), '-c', file]);
    expect(noCause.code).toBe(2);
    expect(noCause.stderr).toMatch(/--cause/);
    expect((await runCli(['incident', 'show', 'abc', '-c', file])).code).toBe(2);
  });

});
