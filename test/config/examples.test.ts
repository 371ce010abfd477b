import { readdirSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadConfigFile } from '../../src/config/index.js';

const root = path.resolve(import.meta.dirname, '../..');

describe('the seed article examples', () => {
  it('validate as written, inside a config that has the sections they need', () => {
    const { config } = loadConfigFile(path.join(root, 'test/config/fixtures/article.yaml'), { env: { MONITOR_PASSWORD: 'pw-from-env' } });
    const login = config.monitors[0]!;
    expect(login).toMatchObject({ name: 'User Login Flow', type: 'multi-step', interval: 60_000 });
    if (login.type !== 'multi-step') throw new Error('expected a journey');
    expect(login.steps.map((s) => s.name)).toEqual(['Load login page', 'Submit credentials', 'Access dashboard']);
    expect(login.steps[1]).toMatchObject({ method: 'POST', assert_json_path: ['$.token'] });
    expect(login.steps[1]!.body).toContain('"password": "pw-from-env"');
    expect(login.steps[2]!.use_auth_from_step).toBe(2);

    expect(config.remediation.map((r) => [r.alert, r.action.type])).toEqual([
      ['payment-service-pod-crashlooping', 'kubernetes_rollout_restart'],
      ['cache-memory-high', 'script'],
      ['queue-depth-critical', 'scale_deployment'],
    ]);
    expect(config.remediation[0]!.action).toMatchObject({ deployment: 'payment-service', namespace: 'payments', max_auto_attempts: 2, notify: ['#payments-team'] });
    expect(config.remediation[1]!.action).toMatchObject({ script: 'scripts/flush-cache-safely.sh', timeout: 60_000 });
    expect(config.remediation[2]!.action).toMatchObject({ replicas: 10, namespace: 'workers' });
  });
});

describe('every example config', () => {
  for (const file of readdirSync(path.join(root, 'examples')).filter((f) => f.endsWith('.yaml'))) {
    it(`${file} is valid`, () => {
      expect(() => loadConfigFile(path.join(root, 'examples', file), { env: {} })).not.toThrow();
    });
  }
});
