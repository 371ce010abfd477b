import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.js';

/** `${ENV}` values shorter than 6 characters are not redacted; validate says which, without their value. */

const VARS = { MEDIC_T_PIN: 'x9!k2', MEDIC_T_PORT: '8080', MEDIC_T_TOKEN: 'tok-3f8a9c2e51d8', MEDIC_T_EMPTY: '' };

afterEach(() => {
  for (const name of Object.keys(VARS)) delete process.env[name];
});

function config(): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'medic-validate-'));
  const file = path.join(dir, 'medic.yaml');
  writeFileSync(
    file,
    [
      'server:',
      '  port: ${MEDIC_T_PORT}',
      'monitors:',
      '  - name: api',
      '    type: http',
      '    url: "http://127.0.0.1:${MEDIC_T_PORT}/health"',
      '    headers: { X-Pin: "${MEDIC_T_PIN}", Authorization: "Bearer ${MEDIC_T_TOKEN}", X-Empty: "${MEDIC_T_EMPTY}" }',
    ].join('\n'),
  );
  return file;
}

describe('medic validate and short secrets', () => {
  it('warns once per variable shorter than 6 characters, naming it and not its value, and exits 0', async () => {
    Object.assign(process.env, VARS);
    const file = config();
    const r = await runCli(['validate', '-c', file]);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/is valid/);
    const warnings = r.stderr.trim().split('\n');
    expect(warnings).toEqual([
      `warning: ${file}:2:9 server.port: \${MEDIC_T_PORT} is shorter than 6 characters, so it is not redacted from logs, timelines and notifications (fine for a port or a name, not for a secret)`,
      `warning: ${file}:7:23 monitors[0].headers.X-Pin: \${MEDIC_T_PIN} is shorter than 6 characters, so it is not redacted from logs, timelines and notifications (fine for a port or a name, not for a secret)`,
    ]);
    expect(r.stdout + r.stderr).not.toContain(VARS.MEDIC_T_PIN);

    const json = await runCli(['validate', '--json', '-c', file]);
    expect(json.code).toBe(0);
    const parsed = JSON.parse(json.stdout) as { valid: boolean; warnings: string[] };
    expect(parsed.valid).toBe(true);
    expect(parsed.warnings).toHaveLength(2);
    expect(parsed.warnings[1]).toContain('${MEDIC_T_PIN} is shorter than 6 characters');
    expect(json.stdout).not.toContain(VARS.MEDIC_T_PIN);
  });
});
