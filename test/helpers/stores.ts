import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import { inject } from 'vitest';
import { Store } from '../../src/store/index.js';

/**
 * Real databases for tests: SQLite in a temp file, and PostgreSQL at 127.0.0.1:5432 (database test) in
 * a schema of its own per store, so parallel runs never see each other's rows.
 */

export const PG_BASE_URL = process.env.MEDIC_TEST_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
export const ENGINES = ['sqlite', 'postgres'] as const;
export type TestEngine = (typeof ENGINES)[number];

export interface TestStore {
  store: Store;
  url: string;
  /** Closes the store and removes its file or schema. */
  cleanup(): Promise<void>;
}

export function testDatabaseUrl(engine: TestEngine): { url: string; drop: () => Promise<void> } {
  if (engine === 'sqlite') {
    const dir = mkdtempSync(path.join(tmpdir(), 'medic-test-'));
    return { url: `sqlite://${path.join(dir, 'medic.db')}`, drop: async () => rmSync(dir, { recursive: true, force: true }) };
  }
  // Dropped by the global teardown once every file is done (see global-setup.ts).
  const schema = `medic_t_${inject('pgRunId')}_${randomBytes(5).toString('hex')}`;
  return { url: `${PG_BASE_URL}?schema=${schema}`, drop: async () => {} };
}

export async function openTestStore(engine: TestEngine): Promise<TestStore> {
  const { url, drop } = testDatabaseUrl(engine);
  const store = await Store.open({ url });
  return {
    store,
    url,
    async cleanup() {
      await store.close();
      await drop();
    },
  };
}
