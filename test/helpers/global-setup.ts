import pg from 'pg';
import type { TestProject } from 'vitest/node';

/**
 * PostgreSQL test schemas are dropped here, once every test file has finished, not by each test:
 * dropping a schema while another test file's migrator reads the catalog makes that read fail.
 * Schemas left by a run that crashed more than an hour ago are dropped at the start.
 */
const PG_URL = process.env.MEDIC_TEST_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

async function dropSchemas(where: (name: string) => boolean): Promise<void> {
  const client = new pg.Client({ connectionString: PG_URL });
  try {
    await client.connect();
  } catch {
    return; // tests that need PostgreSQL will report it themselves
  }
  try {
    const { rows } = await client.query<{ nspname: string }>(`SELECT nspname FROM pg_namespace WHERE nspname LIKE 'medic\\_t\\_%'`);
    for (const { nspname } of rows) if (where(nspname)) await client.query(`DROP SCHEMA IF EXISTS "${nspname}" CASCADE`);
  } finally {
    await client.end();
  }
}

export default async function setup(project: TestProject) {
  const runId = Date.now().toString(36);
  project.provide('pgRunId', runId);
  await dropSchemas((name) => {
    const started = parseInt(name.split('_')[2] ?? '', 36);
    return Number.isFinite(started) && Date.now() - started > 3_600_000;
  });
  return async () => dropSchemas((name) => name.startsWith(`medic_t_${runId}_`));
}

declare module 'vitest' {
  export interface ProvidedContext {
    pgRunId: string;
  }
}
