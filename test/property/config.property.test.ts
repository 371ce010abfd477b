import fc from 'fast-check';
import { stringify } from 'yaml';
import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfigText } from '../../src/config/index.js';

/** Thousands of random and malformed configs: the loader answers with a located ConfigError, never a crash. */

const loads = (text: string) => {
  try {
    loadConfigText(text, { file: 'medic.yaml', env: { SET: 'value' } });
  } catch (err) {
    if (!(err instanceof ConfigError)) throw err;
    for (const p of err.problems) {
      expect(p.file).toBe('medic.yaml');
      expect(Number.isInteger(p.line) && p.line >= 0).toBe(true);
      expect(p.message.length).toBeGreaterThan(0);
    }
  }
};

const keys = fc.constantFrom('server', 'storage', 'monitors', 'alerts', 'runbooks', 'remediation', 'flags', 'notifications', 'services', 'verification', 'name', 'type', 'url', 'interval', 'steps', 'action', 'assert_status', 'match', 'port', 'x');
const scalars = fc.oneof(fc.string(), fc.integer(), fc.double(), fc.boolean(), fc.constant(null), fc.constantFrom('30s', '5%', '${SET}', '${UNSET}', '$${X}', 'http://127.0.0.1/', 'multi-step', 'http', 'tcp', 'P1'));
const values = fc.letrec((tie) => ({
  value: fc.oneof({ depthSize: 'small' }, scalars, fc.array(tie('value'), { maxLength: 4 }), fc.dictionary(keys, tie('value'), { maxKeys: 5 })),
})).value;

describe('config loader under random input', () => {
  it('never throws anything but a ConfigError for random text', () => {
    fc.assert(fc.property(fc.string({ maxLength: 400 }), loads), { numRuns: 2000 });
  });

  it('never throws anything but a ConfigError for random YAML documents of plausible keys', () => {
    fc.assert(fc.property(fc.dictionary(keys, values, { maxKeys: 6 }), (doc) => loads(stringify(doc))), { numRuns: 2000 });
  });

  it('never throws for random monitors', () => {
    const monitor = fc.record({ name: fc.string(), type: fc.constantFrom('http', 'multi-step', 'tcp', 'dns', 'tls', 'heartbeat', 'bogus'), url: scalars, interval: scalars, steps: fc.array(fc.dictionary(keys, values, { maxKeys: 4 }), { maxLength: 3 }), assert_status: values }, { requiredKeys: [] });
    fc.assert(fc.property(fc.array(monitor, { maxLength: 3 }), (monitors) => loads(stringify({ monitors }))), { numRuns: 1500 });
  });
});
