import { describe, expect, it } from 'vitest';
import { evaluateFlag, flagState, parseFlagDefinition, serializeFlagDefinition } from '../../../src/resolve/flags/index.js';
import { flagConfig } from './helpers.js';

describe('stored flag definitions', () => {
  it('round-trip through JSON to the same config and the same evaluations', () => {
    const config = flagConfig({
      key: 'checkout_theme',
      type: 'string',
      variants: { dark: 'dark', light: 'light' },
      default_variant: 'dark',
      off_variant: 'light',
      rollout: '40%',
      rules: [{ when: 'plan == "pro" and country in [US, CA]', variant: 'light', rollout: '50%' }],
      owner: 'web-team',
    });
    const parsed = parseFlagDefinition('checkout_theme', serializeFlagDefinition(config));
    expect(parsed.ok).toBe(true);
    if (!parsed.ok) return;
    expect(parsed.config).toEqual(config);
    const [a, b] = [flagState(config), flagState(parsed.config)];
    for (let i = 0; i < 200; i++) {
      const context = { targetingKey: `u${i}`, plan: i % 2 ? 'pro' : 'free', country: 'US' };
      expect(evaluateFlag(b, context)).toEqual(evaluateFlag(a, context));
    }
  });
});
