import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { Store, findToken } from '../../src/store/index.js';
import { runCli } from '../helpers/cli.js';

const root = path.resolve(import.meta.dirname, '../..');
const tmp = () => mkdtempSync(path.join(tmpdir(), 'medic-cli-'));

describe('medic validate', () => {
  it('prints a summary and exits 0 for a valid config', async () => {
    const r = await runCli(['validate', '-c', path.join(root, 'examples/payment-service.yaml')]);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/is valid/);
    expect(r.stdout).toMatch(/services\s+2/);
    expect(r.stdout).toMatch(/remediation rules\s+4/);
    expect(r.stdout).toMatch(/channels\s+3/);
  });

  it('prints JSON with --json', async () => {
    const r = await runCli(['validate', '--json', '-c', path.join(root, 'examples/payment-service.yaml')]);
    expect(JSON.parse(r.stdout)).toMatchObject({ valid: true, services: 2, monitors: 1, alerts: 1, runbooks: 1, remediation_rules: 4, flags: 1, channels: 3 });
  });

  it('prints every error and exits 2 for an invalid config', async () => {
    const dir = tmp();
    const file = path.join(dir, 'medic.yaml');
    writeFileSync(file, 'server:\n  prot: 80\nmonitors:\n  - name: x\n    url: "http://127.0.0.1/"\n    interval: soon\n');
    const r = await runCli(['validate', '-c', file]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('2 problems in the config');
    expect(r.stderr).toContain(`${file}:2:3 server.prot: unknown key "prot" (did you mean "port"?)`);
    expect(r.stderr).toContain(`${file}:6:15 monitors[0].interval: expected a duration`);
  });

  it('exits 2 when the file does not exist', async () => {
    const r = await runCli(['validate', '-c', '/nonexistent/medic.yaml']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/cannot read config/);
  });

  it('exits 2 on an unknown command or option', async () => {
    expect((await runCli(['validat'])).code).toBe(2);
    expect((await runCli(['validate', '--nope'])).code).toBe(2);
  });
});

describe('medic schema', () => {
  it('prints the JSON Schema, identical to the committed medic.schema.json', async () => {
    const r = await runCli(['schema']);
    expect(r.code).toBe(0);
    expect(r.stdout).toBe(readFileSync(path.join(root, 'medic.schema.json'), 'utf8'));
    const schema = JSON.parse(r.stdout) as { properties: Record<string, unknown> };
    expect(Object.keys(schema.properties)).toEqual(expect.arrayContaining(['monitors', 'remediation', 'runbooks', 'flags', 'notifications']));
  });
});

describe('medic token create', () => {
  it('prints a token once and stores only its hash', async () => {
    const dir = tmp();
    const db = path.join(dir, 'medic.db');
    const file = path.join(dir, 'medic.yaml');
    writeFileSync(file, `storage: { url: "sqlite://${db}" }\n`);
    const r = await runCli(['token', 'create', '--role', 'admin', '--name', 'ci', '-c', file]);
    expect(r.code).toBe(0);
    const token = r.stdout.trim();
    expect(token).toMatch(/^mdk_/);
    expect(r.stderr).toMatch(/created admin token "ci"/);
    const store = await Store.open({ url: `sqlite://${db}` });
    try {
      expect(await findToken(store.db, token)).toMatchObject({ name: 'ci', role: 'admin', source: 'cli' });
      const raw = await store.db.selectFrom('api_tokens').selectAll().execute();
      expect(JSON.stringify(raw)).not.toContain(token);
    } finally {
      await store.close();
    }
  });

  it('creates a flags token for applications', async () => {
    const dir = tmp();
    const file = path.join(dir, 'medic.yaml');
    writeFileSync(file, `storage: { url: "sqlite://${path.join(dir, 'medic.db')}" }\n`);
    const r = await runCli(['token', 'create', '--role', 'flags', '--name', 'shop', '-c', file]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toMatch(/created flags token "shop"/);
    const store = await Store.open({ url: `sqlite://${path.join(dir, 'medic.db')}` });
    try {
      expect(await findToken(store.db, r.stdout.trim())).toMatchObject({ name: 'shop', role: 'flags', source: 'cli' });
    } finally {
      await store.close();
    }
  });

  it('rejects an unknown role with exit 2', async () => {
    const r = await runCli(['token', 'create', '--role', 'root']);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe("error: option '--role <role>' argument 'root' is invalid. Allowed choices are viewer, responder, admin, flags.\n");
  });
});
