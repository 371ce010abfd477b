import { mkdtempSync, renameSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { loadConfigText } from '../../src/config/index.js';
import { reloadTokens } from '../../src/runtime/reload-tokens.js';
import { systemClock } from '../../src/shared/clock.js';
import { listTokens } from '../../src/store/index.js';
import { openTestApp, type TestApp } from '../helpers/app.js';
import { apiClient, eventually, freePort, launch, launchAll, READY, TEST_TOKEN, type MedicProcess } from '../helpers/cluster.js';
import { ENGINES, testDatabaseUrl } from '../helpers/stores.js';

/**
 * A revoked token stops working everywhere within seconds: deleted through the API (by this process
 * or another one on the same database) or taken out of medic.yaml and reloaded (SIGHUP or a file
 * change). An event stream it opened is closed too, though it was authenticated long before.
 */

const A = 'token-a-removed-at-sighup-0123456789';
const B = 'token-b-removed-by-editing-0123456789';

/** An open /api/stream, read until the server ends it. */
async function openStream(baseUrl: string, token: string, query = '') {
  const res = await fetch(`${baseUrl}/api/stream${query}`, { headers: token ? { authorization: `Bearer ${token}` } : {} });
  expect(res.status).toBe(200);
  const reader = res.body!.getReader();
  let open = true;
  const ended = (async () => {
    try {
      while (!(await reader.read()).done);
    } catch {
      // a reset connection ends it too
    }
    open = false;
  })();
  return { isOpen: () => open, ended, close: () => reader.cancel().catch(() => {}) };
}

const status = async (baseUrl: string, token: string) => (await fetch(`${baseUrl}/api/me`, { headers: { authorization: `Bearer ${token}` } })).status;

function configText(port: number, dbUrl: string, tokens: [string, string, string][]): string {
  const lines = [[ 'test', 'admin', TEST_TOKEN ] as const, ...tokens].map(([name, role, token]) => `    - { name: ${name}, role: ${role}, token: "${token}" }`);
  return `server: { port: ${port}, host: 127.0.0.1 }\nstorage: { url: "${dbUrl}" }\nauth:\n  tokens:\n${lines.join('\n')}\n`;
}

describe.each(ENGINES)('a token taken out of medic.yaml on %s', (engine) => {
  const procs: MedicProcess[] = [];
  afterEach(async () => {
    await Promise.all(procs.splice(0).map((p) => p.kill9()));
  });

  it('is revoked at a reload (SIGHUP, then a file change), and its open stream is closed', async () => {
    const port = await freePort();
    const { url: dbUrl } = testDatabaseUrl(engine);
    // medic.yaml is a symlink to a file in another folder: editing that file does not wake the folder
    // watcher, so the first reload below can only come from SIGHUP.
    const real = path.join(mkdtempSync(path.join(tmpdir(), 'medic-real-')), 'real.yaml');
    const dir = mkdtempSync(path.join(tmpdir(), 'medic-watched-'));
    const file = path.join(dir, 'medic.yaml');
    writeFileSync(real, configText(port, dbUrl, [['a', 'responder', A], ['b', 'viewer', B]]));
    symlinkSync(real, file);
    const medic = await launch('all', ['start', '-c', file], READY.all);
    procs.push(medic);
    const url = `http://127.0.0.1:${port}`;
    expect([await status(url, A), await status(url, B)]).toEqual([200, 200]);
    const streamA = await openStream(url, A);
    const streamB = await openStream(url, B);

    writeFileSync(real, configText(port, dbUrl, [['b', 'viewer', B]]));
    process.kill(medic.pid, 'SIGHUP');
    await eventually('token a refused after SIGHUP', () => status(url, A), (s) => s === 401, 8_000);
    await eventually('the stream of token a closed', async () => streamA.isOpen(), (open) => !open, 5_000);
    expect(streamB.isOpen()).toBe(true);
    expect(await status(url, B)).toBe(200);
    expect(medic.logs()).toContainEqual(expect.objectContaining({ msg: 'config tokens synced', revoked: ['a'] }));

    // An editor saves by writing a new file and renaming it over the old one.
    writeFileSync(`${file}.new`, configText(port, dbUrl, []));
    renameSync(`${file}.new`, file);
    await eventually('token b refused after the file changed', () => status(url, B), (s) => s === 401, 8_000);
    await eventually('the stream of token b closed', async () => streamB.isOpen(), (open) => !open, 5_000);
    expect(await status(url, TEST_TOKEN)).toBe(200);
    expect(medic.alive()).toBe(true);
  }, 90_000);
});

describe('api processes on one PostgreSQL database', () => {
  const procs: MedicProcess[] = [];
  afterAll(async () => {
    await Promise.all(procs.splice(0).map((p) => p.kill9()));
  });

  it('a token deleted through one is refused by the other within seconds, and its stream there is closed', async () => {
    const { url: dbUrl } = testDatabaseUrl('postgres');
    const [port1, port2] = [await freePort(), await freePort()];
    const dir = mkdtempSync(path.join(tmpdir(), 'medic-apis-'));
    const file = path.join(dir, 'medic.yaml');
    writeFileSync(file, configText(port1, dbUrl, []));
    await launchAll(procs, [
      ['api-1', ['start', '--role', 'api', '-c', file], READY.api],
      ['api-2', ['start', '--role', 'api', '-c', file, '--port', String(port2)], READY.api],
    ]);
    const [one, two] = [`http://127.0.0.1:${port1}`, `http://127.0.0.1:${port2}`];

    const created = await apiClient(one).post<{ id: number; token: string }>('/api/tokens', { name: 'laptop', role: 'viewer' });
    expect(created.status).toBe(201);
    const { id, token } = created.body;
    // Used on the second process: its lookup is now cached there.
    expect(await status(two, token)).toBe(200);
    const stream = await openStream(two, token);
    // A stream ticket asked for on one process opens the stream on the other (as behind a load balancer).
    const { ticket } = (await apiClient(one, token).post<{ ticket: string }>('/api/stream/ticket')).body;
    const byTicket = await openStream(`${two}`, '', `?ticket=${encodeURIComponent(ticket)}`);

    const deleted = await fetch(`${one}/api/tokens/${id}`, { method: 'DELETE', headers: { authorization: `Bearer ${TEST_TOKEN}` } });
    expect(deleted.status).toBe(204);
    expect(await status(one, token)).toBe(401);
    // The second process never heard of the deletion: its cache may hold the token for CACHE_MS (2 s).
    await eventually('the other process refusing the deleted token', () => status(two, token), (s) => s === 401, 4_000, 50);
    await eventually('its streams on the other process closed', async () => [stream.isOpen(), byTicket.isOpen()], (v) => v.every((open) => !open), 4_000, 50);
    // The ticket died with its token.
    expect((await fetch(`${two}/api/stream?ticket=${encodeURIComponent(ticket)}`)).status).toBe(401);
  }, 90_000);
});

describe.each(ENGINES)('revocation in one process on %s', (engine) => {
  let t: TestApp;
  let url: string;
  beforeAll(async () => {
    t = await openTestApp({
      engine,
      clock: systemClock,
      config: 'auth:\n  tokens:\n    - { name: ci, role: viewer, token: "${CI_TOKEN}" }\n    - { name: gone, role: viewer, token: "${GONE_TOKEN}" }\n',
      env: { CI_TOKEN: 'ci-token-0123456789abcdef', GONE_TOKEN: 'gone-token-0123456789abcdef' },
    });
    url = await t.app.listen({ port: 0, host: '127.0.0.1' });
  });
  afterAll(async () => t?.close());

  it('closes the stream of a token revoked through the API', async () => {
    const created = await t.app.inject({ method: 'POST', url: '/api/tokens', headers: t.as('admin'), payload: { name: 'tab', role: 'viewer' } });
    const { id, token } = created.json() as { id: number; token: string };
    const stream = await openStream(url, token);
    const other = await openStream(url, t.tokens.viewer);
    expect((await t.app.inject({ method: 'DELETE', url: `/api/tokens/${id}`, headers: t.as('admin') })).statusCode).toBe(204);
    await eventually('the stream closed', async () => stream.isOpen(), (open) => !open, 5_000, 50);
    expect(other.isOpen()).toBe(true);
    await other.close();
  });

  it('a reload revokes removed config tokens, changes roles in place, and ends a stream the new role may not open', async () => {
    const before = new Map((await listTokens(t.rt.store.db)).map((x) => [x.name, x]));
    const ci = await openStream(url, 'ci-token-0123456789abcdef');
    const gone = await openStream(url, 'gone-token-0123456789abcdef');
    // ci becomes a flags token (OFREP only); gone is taken out; new is added.
    const loaded = loadConfigText(
      `auth:\n  tokens:\n    - { name: ci, role: flags, token: "\${CI_TOKEN}" }\n    - { name: new, role: viewer, token: "\${NEW_TOKEN}" }\nstorage: { url: "${t.rt.loaded.config.storage.url}" }\n`,
      { env: { CI_TOKEN: 'ci-token-0123456789abcdef', NEW_TOKEN: 'new-token-0123456789abcdef' } },
    );
    await reloadTokens(t.rt, loaded);
    const after = new Map((await listTokens(t.rt.store.db)).map((x) => [x.name, x]));
    expect(after.has('gone')).toBe(false);
    expect(after.get('ci')).toMatchObject({ id: before.get('ci')!.id, role: 'flags', source: 'config' });
    expect(after.get('new')).toMatchObject({ role: 'viewer', source: 'config' });
    expect(after.get('v')).toMatchObject({ source: 'cli' }); // tokens made by the CLI or API stay
    await eventually('both streams closed', async () => [ci.isOpen(), gone.isOpen()], (v) => v.every((open) => !open), 5_000, 50);
    await eventually('the removed token refused', () => status(url, 'gone-token-0123456789abcdef'), (s) => s === 401, 4_000, 50);
    // The new value is a secret of the config: redacted like every ${ENV} value.
    expect(t.rt.loaded.redactor.redact('new-token-0123456789abcdef')).not.toContain('new-token');
  });
});
