import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.js';
import { json, startHttpTarget, type HttpTarget } from '../helpers/http-target.js';

describe('medic run <monitor>', () => {
  let target: HttpTarget;
  let file: string;
  beforeAll(async () => {
    target = await startHttpTarget({
      '/ok': (_req, res) => json(res, 200, { status: 'ok' }),
      '/bad': (_req, res) => json(res, 503, { status: 'failing' }),
    });
    const dir = mkdtempSync(path.join(tmpdir(), 'medic-run-'));
    file = path.join(dir, 'medic.yaml');
    writeFileSync(
      file,
      `storage: { url: "sqlite://${dir}/medic.db" }
monitors:
  - { name: healthy, type: http, url: "${target.url('/ok')}", assert_json_path: { path: "$.status", equals: ok } }
  - { name: broken, type: http, url: "${target.url('/bad')}", headers: { x-api-key: "\${API_KEY:-key-abcdef-0123}" } }
`,
    );
  });
  afterAll(async () => target?.close());

  it('prints each assertion with its actual value and exits 0 when the monitor passes', async () => {
    const r = await runCli(['run', 'healthy', '-c', file]);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('✓');
    expect(r.stdout).toMatch(/status/);
    expect(r.stdout).toMatch(/\$\.status/);
  });

  it('exits 1 when it fails, naming the failed assertion', async () => {
    const r = await runCli(['run', 'broken', '-c', file]);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('✗');
    expect(r.stdout).toContain('503');
  });

  it('prints JSON on request, without the secrets of the config', async () => {
    const r = await runCli(['run', 'broken', '-c', file, '--json']);
    const outcome = JSON.parse(r.stdout) as { monitor: string; status: string; timings: { total_ms: number } };
    expect(outcome).toMatchObject({ monitor: 'broken', status: 'down' });
    expect(outcome.timings.total_ms).toBeGreaterThan(0);
  });

  it('exits 2 for an unknown monitor, with a suggestion', async () => {
    const r = await runCli(['run', 'helthy', '-c', file]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('did you mean "healthy"');
  });
});
