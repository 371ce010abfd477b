import { chmodSync, existsSync, mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { startDemo } from '../../src/runtime/demo/demo.js';
import { silentLogger } from '../../src/shared/logger.js';
import { createToken, Store } from '../../src/store/index.js';

/**
 * Medic's database holds token hashes, runbook output and incident history; the demo's config sits
 * beside it. Only the user Medic runs as may read them: folders Medic creates are 0700 and the files it
 * writes 0600 — the SQLite file and its -wal and -shm too — whatever the umask says.
 */
const mode = (file: string) => (statSync(file).mode & 0o777).toString(8);

describe('file modes', () => {
  const dirs: string[] = [];
  const saved = process.umask();
  afterEach(() => {
    process.umask(saved);
    for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
  });
  const scratch = () => {
    const d = mkdtempSync(path.join(tmpdir(), 'medic-modes-'));
    dirs.push(d);
    return d;
  };

  it.each(['000', '022'])('a plain sqlite:// url in a new folder: folders 0700, the database, its WAL and SHM 0600 (umask %s)', async (umask) => {
    const base = scratch();
    chmodSync(base, 0o755);
    process.umask(Number.parseInt(umask, 8));
    const file = path.join(base, 'var', 'medic', 'medic.db');
    const store = await Store.open({ url: `sqlite://${file}` });
    try {
      await createToken(store.db, { name: 'a', role: 'admin', source: 'cli' }, Date.now());
      expect(existsSync(`${file}-wal`) && existsSync(`${file}-shm`)).toBe(true);
      expect({ var: mode(path.join(base, 'var')), medic: mode(path.dirname(file)), db: mode(file), wal: mode(`${file}-wal`), shm: mode(`${file}-shm`) }).toEqual({ var: '700', medic: '700', db: '600', wal: '600', shm: '600' });
    } finally {
      await store.close();
    }
    // A folder that was there already keeps its mode.
    expect(mode(base)).toBe('755');
  });

  it('the demo: its data folder 0700; its config, database, WAL and SHM 0600', async () => {
    const dataDir = path.join(scratch(), 'data');
    process.umask(0);
    const demo = await startDemo({ port: 0, dataDir, logger: silentLogger, calmMs: 60_000 });
    try {
      const files = readdirSync(dataDir).sort();
      expect(files).toEqual(['demo-medic.yaml', 'medic.db', 'medic.db-shm', 'medic.db-wal']);
      expect(mode(dataDir)).toBe('700');
      for (const f of files) expect(mode(path.join(dataDir, f)), f).toBe('600');
    } finally {
      await demo.stop();
    }
  }, 30_000);
});
