import { describe, expect, it } from 'vitest';
import { Redactor } from '../../src/config/index.js';
import { buildIncidentEnv, DEFAULT_PATH, labelVariable } from '../../src/diagnose/steps/env.js';
import { runShell } from '../../src/shared/process.js';

/** Bytes of an environment as execve counts them: NAME=value and a NUL, each. */
const envBytes = (env: Record<string, string>) => Object.entries(env).reduce((n, [k, v]) => n + Buffer.byteLength(k) + Buffer.byteLength(v) + 2, 0);

describe('incident environment', () => {
  it('names labels MEDIC_LABEL_<NAME>, upper-cased, other characters as _', () => {
    expect(labelVariable('pod')).toBe('MEDIC_LABEL_POD');
    expect(labelVariable('k8s.io/app-name')).toBe('MEDIC_LABEL_K8S_IO_APP_NAME');
    expect(labelVariable('$(x)')).toBe('MEDIC_LABEL___X_');
  });

  it('holds the incident fields and every label', () => {
    const env = buildIncidentEnv(
      { id: 7, service: 'checkout', alertName: 'checkout-errors', severity: 'P2', labels: { team: 'web', 'app.kubernetes.io/name': 'shop' } },
      { PATH: '/usr/bin:/bin', HOME: '/home/medic', LANG: 'C.UTF-8' },
    );
    expect(env).toEqual({
      PATH: '/usr/bin:/bin',
      HOME: '/home/medic',
      LANG: 'C.UTF-8',
      MEDIC_INCIDENT_ID: '7',
      MEDIC_SERVICE: 'checkout',
      MEDIC_ALERT_NAME: 'checkout-errors',
      MEDIC_SEVERITY: 'P2',
      MEDIC_LABEL_TEAM: 'web',
      MEDIC_LABEL_APP_KUBERNETES_IO_NAME: 'shop',
    });
  });

  it('passes on PATH, HOME and LANG only, never the rest of the process environment', () => {
    const env = buildIncidentEnv(
      { id: 1, service: null, alertName: null, severity: 'P3', labels: {} },
      { PATH: '/bin', HOME: '/root', LANG: 'C', DB_PASSWORD: 'hunter22', AWS_SECRET_ACCESS_KEY: 'abc' },
    );
    expect(Object.keys(env).sort()).toEqual(['HOME', 'LANG', 'MEDIC_ALERT_NAME', 'MEDIC_INCIDENT_ID', 'MEDIC_SERVICE', 'MEDIC_SEVERITY', 'PATH']);
    expect(env.MEDIC_SERVICE).toBe('');
  });

  it('gives commands a PATH even when Medic has none', () => {
    expect(buildIncidentEnv({ id: 1, service: 's', alertName: 'a', severity: 'P1', labels: {} }, {}).PATH).toBe(DEFAULT_PATH);
  });

  it('keeps the validly spelled label when two names collide, and drops NUL bytes', () => {
    const env = buildIncidentEnv(
      { id: 1, service: 's', alertName: 'a', severity: 'P1', labels: { 'pod-name': 'dashed', pod_name: 'plain', x: 'a\0b' } },
      {},
    );
    expect(env.MEDIC_LABEL_POD_NAME).toBe('plain');
    expect(env.MEDIC_LABEL_X).toBe('ab');
  });

  it('is bounded in each value and in total, so a command always starts, whatever the incident holds', async () => {
    // As an incident stored before the ingest limits could hold: values far past what execve takes.
    const labels = Object.fromEntries(Array.from({ length: 5_000 }, (_, i) => [`label_${i}`, 'é'.repeat(2_000)]));
    const env = buildIncidentEnv({ id: 1, service: 's'.repeat(300_000), alertName: 'a', severity: 'P1', labels: { first: 'kept', ...labels } }, { PATH: process.env.PATH });
    expect(envBytes(env)).toBeLessThanOrEqual(128 * 1024);
    expect(Object.values(env).every((v) => v.length <= 1024)).toBe(true);
    expect(env.MEDIC_SERVICE).toMatch(/…\[\d+ characters cut\]$/);
    expect(env.MEDIC_LABEL_FIRST).toBe('kept');
    const shown = Object.keys(env).filter((k) => k.startsWith('MEDIC_LABEL_')).length;
    expect(Number(env.MEDIC_LABELS_OMITTED)).toBe(5_001 - shown);
    const run = await runShell('printf %s "$MEDIC_LABEL_FIRST $MEDIC_LABELS_OMITTED"', { env, cwd: process.cwd(), timeoutMs: 10_000, maxOutput: 1000, redactor: new Redactor([]) });
    expect(run.startError).toBeUndefined();
    expect(run).toMatchObject({ exitCode: 0, output: `kept ${5_001 - shown}` });
  });
});
