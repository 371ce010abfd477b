import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfigText } from '../../src/config/index.js';
import { startAllInOne, type RunningServer } from '../../src/runtime/all-in-one.js';
import { openRuntime } from '../../src/runtime/bootstrap.js';
import { silentLogger } from '../../src/shared/logger.js';
import { hashToken, type Db } from '../../src/store/index.js';
import { runCli } from '../helpers/cli.js';
import { ENGINES, testDatabaseUrl } from '../helpers/stores.js';

/**
 * Only the processes that serve Medic apply medic.yaml's state (tokens, silences, flags, monitors) to
 * the database. A one-off command run with another config file — an old copy, a colleague's, the
 * demo's — reads the database as it is: the running server's own token keeps working, and a read
 * command leaves every row as it was (last-used times included).
 */
const SERVER_TOKEN = 'mdk_server_token_0123456789';
const OTHER_TOKEN = 'mdk_other_config_token_9876543210';

const serverConfig = (url: string) => `
storage: { url: "${url}" }
services: [{ name: checkout }]
auth:
  tokens:
    - { name: ops, role: admin, token: "${SERVER_TOKEN}" }
silences:
  - { matchers: { service: checkout }, starts_at: "2026-01-01T00:00:00Z", ends_at: "2099-01-01T00:00:00Z", comment: "server's window" }
flags:
  - { key: new_checkout_flow, enabled: true, service: checkout }
`;

// Everything differs: another token under the same name, another silence, another flag state, a monitor.
const otherConfig = (url: string) => `
storage: { url: "${url}" }
services: [{ name: checkout }, { name: search }]
auth:
  tokens:
    - { name: ops, role: admin, token: "${OTHER_TOKEN}" }
    - { name: placeholder, role: admin, token: "<the token in the sign-in link>" }
silences:
  - { matchers: { service: search }, starts_at: "2026-01-01T00:00:00Z", ends_at: "2099-01-01T00:00:00Z", comment: "other window" }
flags:
  - { key: new_checkout_flow, enabled: false, service: checkout }
  - { key: dark_mode, enabled: true }
monitors:
  - { name: Search, service: search, url: "http://127.0.0.1:9/", interval: 1m }
`;

/** Every row of every Medic table (the migration bookkeeping aside), in a stable order. */
async function dump(db: Db, schema: string | undefined): Promise<Record<string, unknown[]>> {
  // Only this test's tables: other runs create and drop their schemas meanwhile on the same server.
  const names = schema
    ? await sql<{ name: string }>`SELECT table_name AS name FROM information_schema.tables WHERE table_schema = ${schema} AND table_type = 'BASE TABLE'`.execute(db)
    : await sql<{ name: string }>`SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'`.execute(db);
  const out: Record<string, unknown[]> = {};
  for (const name of names.rows.map((r) => r.name).filter((n) => !n.startsWith('kysely_')).sort()) {
    const rows = await db.selectFrom(name as never).selectAll().execute();
    out[name] = rows.map((r) => JSON.stringify(r)).sort();
  }
  return out;
}

describe.each(ENGINES)('one-off commands leave config state alone on %s', (engine) => {
  let server: RunningServer;
  let other: string;
  let schema: string | undefined;
  let incidentId: number;
  const api = (p: string, token: string, init: RequestInit = {}) => fetch(`${server.url}${p}`, { ...init, headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json', ...init.headers } });

  beforeAll(async () => {
    const { url } = testDatabaseUrl(engine);
    schema = engine === 'postgres' ? new URL(url).searchParams.get('schema')! : undefined;
    const dir = mkdtempSync(path.join(tmpdir(), 'medic-config-state-'));
    other = path.join(dir, 'other.yaml');
    writeFileSync(other, otherConfig(url));
    const rt = await openRuntime(loadConfigText(serverConfig(url), { env: {} }), { role: 'all', logger: silentLogger, applyConfig: true });
    server = await startAllInOne(rt, { port: 0, host: '127.0.0.1', watchConfig: false });
    const res = await api('/api/alerts/webhook', SERVER_TOKEN, { method: 'POST', body: JSON.stringify({ name: 'CheckoutErrors', service: 'payment', severity: 'critical' }) });
    expect(res.status).toBeLessThan(300);
    const row = await rt.store.db.selectFrom('incidents').select('id').executeTakeFirstOrThrow();
    incidentId = Number(row.id);
  });
  afterAll(async () => server?.stop());

  it('read commands with another config change no row, and the server keeps its token', async () => {
    const db = server.core.rt.store.db;
    // Let the server finish what the alert started (its jobs), so that only the commands could write.
    await new Promise((r) => setTimeout(r, 1500));
    const before = await dump(db, schema);
    expect(before.api_tokens).toHaveLength(1);
    expect(before.silences).toHaveLength(1);

    const reads = [
      ['incidents'],
      ['incidents', '--json'],
      ['incident', 'show', String(incidentId)],
      ['report'],
      ['coverage'],
      ['flags', 'list'],
      ['postmortem', String(incidentId)],
      ['dashboard', '--once'],
      ['diagnose', 'checkout'],
      ['verify', 'checkout', '--window', '1s', '--interval', '500ms'],
      ['validate'],
    ];
    for (const args of reads) {
      const r = await runCli([...args, '-c', other]);
      expect(r.code, `medic ${args.join(' ')}: ${r.stderr}`).toBe(0);
    }
    expect(await dump(db, schema)).toEqual(before);

    expect((await api('/api/me', SERVER_TOKEN)).status).toBe(200);
    expect((await api('/api/me', OTHER_TOKEN)).status).toBe(401);
    expect((await api('/api/me', '<the token in the sign-in link>')).status).toBe(401);
    // A dozen commands, each opening the database: more than the default 30 s on a loaded machine.
  }, 120_000);

  it('a command that writes records its own change and still applies nothing of its config', async () => {
    const db = server.core.rt.store.db;
    const deploy = await runCli(['deploy', 'checkout', 'v2', '-c', other]);
    expect(deploy.code, deploy.stderr).toBe(0);
    const ack = await runCli(['incident', 'ack', String(incidentId), '-c', other]);
    expect(ack.code, ack.stderr).toBe(0);
    expect(await db.selectFrom('deployments').select('version').execute()).toEqual([{ version: 'v2' }]);
    // What the server's medic.yaml says, and nothing of the other file's.
    expect(await db.selectFrom('api_tokens').select(['name', 'token_hash']).execute()).toEqual([{ name: 'ops', token_hash: hashToken(SERVER_TOKEN) }]);
    expect(await db.selectFrom('silences').select('comment').execute()).toEqual([{ comment: "server's window" }]);
    expect((await db.selectFrom('flags').select(['key', 'enabled']).execute()).map((f) => [f.key, Number(f.enabled)])).toEqual([['new_checkout_flow', 1]]);
    expect(await db.selectFrom('monitors').select('name').execute()).toEqual([]);
    expect((await api('/api/me', SERVER_TOKEN)).status).toBe(200);
  });
});
