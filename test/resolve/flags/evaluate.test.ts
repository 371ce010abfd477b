import { describe, expect, it } from 'vitest';
import { evaluateFlag, evaluateFlags, flagNotFound, flagState, parseFlagDefinition, type Evaluation } from '../../../src/resolve/flags/index.js';
import { KEYS, flagConfig, makeFlag, uncheckedFlag } from './helpers.js';

const value = (e: Evaluation) => (e.ok ? e.value : undefined);

describe('evaluateFlag', () => {
  describe('boolean flags', () => {
    it('serves the "on" variant to everyone by default (STATIC)', () => {
      expect(evaluateFlag(makeFlag({}), {})).toEqual({ ok: true, key: 'test_flag', value: true, variant: 'on', reason: 'STATIC', metadata: {} });
    });

    it('serves false with reason DISABLED when disabled, the value always included', () => {
      const e = evaluateFlag(makeFlag({ enabled: false, rollout: '25%', rules: [{ when: 'plan == "pro"' }] }), { targetingKey: 'u1', plan: 'pro' });
      expect(e).toEqual({ ok: true, key: 'test_flag', value: false, variant: 'off', reason: 'DISABLED', metadata: {} });
      expect('value' in e).toBe(true);
    });

    it('is disabled without needing a targeting key', () => {
      expect(evaluateFlag(makeFlag({ enabled: false, rollout: '25%' }), {})).toMatchObject({ ok: true, value: false, reason: 'DISABLED' });
    });
  });

  describe('database state wins over config', () => {
    it('takes enabled and rollout from the runtime state', () => {
      const config = flagConfig({ enabled: true, rollout: 1 });
      expect(evaluateFlag(flagState(config, { enabled: false, rollout: 1 }), {})).toMatchObject({ reason: 'DISABLED', value: false });
      const half = flagState(config, { enabled: true, rollout: 0.5, version: 7 });
      const e = evaluateFlag(half, { targetingKey: 'someone' });
      expect(e).toMatchObject({ ok: true, reason: 'SPLIT', metadata: { version: 7 } });
      const disabledInConfig = flagConfig({ enabled: false });
      expect(evaluateFlag(flagState(disabledInConfig, { enabled: true, rollout: 1 }), {})).toMatchObject({ reason: 'STATIC', value: true });
    });
  });

  describe('targeting rules', () => {
    it('matches plan == "pro"', () => {
      const f = makeFlag({ rollout: 0, rules: [{ when: 'plan == "pro"' }] });
      expect(evaluateFlag(f, { targetingKey: 'a', plan: 'pro' })).toMatchObject({ value: true, variant: 'on', reason: 'TARGETING_MATCH', metadata: { rule: 0 } });
      expect(evaluateFlag(f, { targetingKey: 'a', plan: 'free' })).toMatchObject({ value: false, variant: 'off', reason: 'SPLIT' });
      expect(evaluateFlag(f, { targetingKey: 'a' })).toMatchObject({ value: false, reason: 'SPLIT' });
    });

    it('matches country in [US, CA]', () => {
      const f = makeFlag({ rollout: 0, rules: [{ when: 'country in [US, CA]' }] });
      expect(value(evaluateFlag(f, { country: 'US' }))).toBe(true);
      expect(value(evaluateFlag(f, { country: 'CA' }))).toBe(true);
      expect(value(evaluateFlag(f, { country: 'FR' }))).toBe(false);
      expect(value(evaluateFlag(f, {}))).toBe(false);
    });

    it('matches user_id in ["u1", "u2"]', () => {
      const f = makeFlag({ rollout: 0, rules: [{ when: 'user_id in ["u1", "u2"]' }] });
      expect(['u1', 'u2', 'u3'].map((user_id) => value(evaluateFlag(f, { user_id })))).toEqual([true, true, false]);
    });

    it('requires every comparison of an "and"', () => {
      const f = makeFlag({ rollout: 0, rules: [{ when: 'plan == "pro" and country in [US, CA]' }] });
      expect(value(evaluateFlag(f, { plan: 'pro', country: 'US' }))).toBe(true);
      expect(value(evaluateFlag(f, { plan: 'pro', country: 'DE' }))).toBe(false);
      expect(value(evaluateFlag(f, { plan: 'free', country: 'US' }))).toBe(false);
    });

    it('reads targetingKey as an attribute', () => {
      const f = makeFlag({ rollout: 0, rules: [{ when: 'targetingKey in [alice, bob]' }] });
      expect(value(evaluateFlag(f, { targetingKey: 'alice' }))).toBe(true);
      expect(value(evaluateFlag(f, { targetingKey: 'carol' }))).toBe(false);
    });

    it('applies the first rule that matches, in order', () => {
      const f = makeFlag({
        type: 'string',
        variants: { a: 'A', b: 'B', c: 'C' },
        default_variant: 'c',
        off_variant: 'c',
        rules: [
          { when: 'plan == "pro"', variant: 'a' },
          { when: 'country == US', variant: 'b' },
        ],
      });
      expect(evaluateFlag(f, { plan: 'pro', country: 'US' })).toMatchObject({ value: 'A', variant: 'a', reason: 'TARGETING_MATCH', metadata: { rule: 0 } });
      expect(evaluateFlag(f, { plan: 'free', country: 'US' })).toMatchObject({ value: 'B', variant: 'b', reason: 'TARGETING_MATCH', metadata: { rule: 1 } });
      expect(evaluateFlag(f, { plan: 'free', country: 'FR' })).toMatchObject({ value: 'C', variant: 'c', reason: 'STATIC' });
    });

    it('gives a rule with a rollout to that share of matching keys; the others fall through', () => {
      const f = makeFlag({
        type: 'string',
        variants: { beta: 'beta', stable: 'stable' },
        default_variant: 'stable',
        off_variant: 'stable',
        rules: [{ when: 'plan == "pro"', variant: 'beta', rollout: '30%' }],
      });
      const results = KEYS.map((targetingKey) => evaluateFlag(f, { targetingKey, plan: 'pro' }));
      const beta = results.filter((e) => e.ok && e.variant === 'beta');
      expect(Math.abs(beta.length / KEYS.length - 0.3)).toBeLessThanOrEqual(0.02);
      expect(beta.every((e) => e.ok && e.reason === 'TARGETING_MATCH')).toBe(true);
      expect(results.filter((e) => e.ok && e.variant === 'stable').every((e) => e.ok && e.reason === 'STATIC')).toBe(true);
      // Free users never match the rule, whatever their bucket.
      expect(KEYS.slice(0, 500).every((targetingKey) => value(evaluateFlag(f, { targetingKey, plan: 'free' })) === 'stable')).toBe(true);
    });

    it('serves a rule variant even outside the flag rollout', () => {
      const f = makeFlag({ rollout: '10%', rules: [{ when: 'plan == "pro"' }] });
      expect(KEYS.slice(0, 1000).every((targetingKey) => value(evaluateFlag(f, { targetingKey, plan: 'pro' })) === true)).toBe(true);
    });
  });

  describe('rollout', () => {
    it('serves the default variant inside and the off variant outside (SPLIT)', () => {
      const f = makeFlag({ type: 'string', variants: { on: 'new', off: 'old' }, rollout: '50%' });
      const variants = new Set(KEYS.slice(0, 200).map((targetingKey) => evaluateFlag(f, { targetingKey })).map((e) => e.ok && `${e.variant}:${e.value}:${e.reason}`));
      expect(variants).toEqual(new Set(['on:new:SPLIT', 'off:old:SPLIT']));
    });

    it('needs no targeting key at 0 % or 100 %', () => {
      expect(evaluateFlag(makeFlag({ rollout: 0 }), {})).toMatchObject({ ok: true, value: false, reason: 'SPLIT' });
      expect(evaluateFlag(makeFlag({ rollout: 1 }), {})).toMatchObject({ ok: true, value: true, reason: 'STATIC' });
    });
  });

  describe('variants of every type', () => {
    it('serves string variants', () => {
      const f = makeFlag({ type: 'string', variants: { blue: '#00f', red: '#f00' }, default_variant: 'blue', off_variant: 'red', rules: [{ when: 'theme == warm', variant: 'red' }] });
      expect(evaluateFlag(f, {})).toMatchObject({ value: '#00f', variant: 'blue', reason: 'STATIC' });
      expect(evaluateFlag(f, { theme: 'warm' })).toMatchObject({ value: '#f00', variant: 'red', reason: 'TARGETING_MATCH' });
    });

    it('serves number variants', () => {
      const f = makeFlag({ type: 'number', variants: { small: 10, large: 2.5 }, default_variant: 'large', off_variant: 'small' });
      expect(evaluateFlag(f, {})).toMatchObject({ value: 2.5, variant: 'large' });
      expect(evaluateFlag(makeFlag({ type: 'number', variants: { small: 10, large: 2.5 }, default_variant: 'large', off_variant: 'small', enabled: false }), {})).toMatchObject({ value: 10, reason: 'DISABLED' });
    });

    it('serves object variants, which callers cannot change for everyone else', () => {
      const f = makeFlag({ type: 'object', variants: { on: { limit: 5, tiers: ['a', 'b'] }, off: { limit: 0 } } });
      const e = evaluateFlag(f, {});
      expect(e).toMatchObject({ value: { limit: 5, tiers: ['a', 'b'] }, variant: 'on' });
      expect(() => {
        ((e as { value: { limit: number } }).value as { limit: number }).limit = 99;
      }).toThrow(TypeError);
      expect(evaluateFlag(f, {})).toMatchObject({ value: { limit: 5 } });
    });

    it('returns the same result object for the same outcome (nothing allocated per evaluation)', () => {
      const f = makeFlag({ rollout: '50%', rules: [{ when: 'plan == "pro"' }] });
      expect(evaluateFlag(f, { plan: 'pro', targetingKey: 'a' })).toBe(evaluateFlag(f, { plan: 'pro', targetingKey: 'b' }));
      expect(evaluateFlag(f, { targetingKey: 'user-1' })).toBe(evaluateFlag(f, { targetingKey: 'user-1' }));
    });
  });

  describe('errors', () => {
    it('INVALID_CONTEXT for a context that is not an object, or a targetingKey that is not a string', () => {
      const f = makeFlag({});
      for (const context of [null, undefined, 'user-1', 42, ['a'], { targetingKey: 42 }, { targetingKey: { id: 1 } }]) {
        const e = evaluateFlag(f, context);
        expect(e, JSON.stringify(context)).toMatchObject({ ok: false, key: 'test_flag', errorCode: 'INVALID_CONTEXT' });
        expect((e as { errorDetails: string }).errorDetails).toMatch(/context|targetingKey/);
      }
    });

    it('TARGETING_KEY_MISSING for a rollout without a targeting key', () => {
      for (const context of [{}, { targetingKey: '' }, { targetingKey: null }]) {
        expect(evaluateFlag(makeFlag({ rollout: '25%' }), context)).toMatchObject({ ok: false, errorCode: 'TARGETING_KEY_MISSING' });
      }
    });

    it('TARGETING_KEY_MISSING for a matching rule with a rollout, or a rule that reads targetingKey', () => {
      const split = makeFlag({ rules: [{ when: 'plan == "pro"', rollout: '50%' }] });
      expect(evaluateFlag(split, { plan: 'pro' })).toMatchObject({ ok: false, errorCode: 'TARGETING_KEY_MISSING' });
      // The rule does not match, so it needs no key, and the flag serves everyone.
      expect(evaluateFlag(split, { plan: 'free' })).toMatchObject({ ok: true, reason: 'STATIC' });
      const byKey = makeFlag({ rules: [{ when: 'targetingKey != "bot"' }] });
      expect(evaluateFlag(byKey, {})).toMatchObject({ ok: false, errorCode: 'TARGETING_KEY_MISSING' });
    });

    it('GENERAL for a variant that is not defined, or whose value is of another type', () => {
      const missing = uncheckedFlag({ type: 'string', variants: { a: 'A' }, default_variant: 'a' });
      expect(evaluateFlag(missing, {})).toMatchObject({ ok: true, value: 'A' });
      expect(evaluateFlag(uncheckedFlag({ type: 'string', variants: { a: 'A' }, default_variant: 'a', enabled: false }), {})).toMatchObject({
        ok: false,
        errorCode: 'GENERAL',
        errorDetails: expect.stringContaining('no variant "off"'),
      });
      expect(evaluateFlag(uncheckedFlag({ type: 'number', variants: { on: 'ten', off: 0 } }), {})).toMatchObject({ ok: false, errorCode: 'GENERAL' });
      expect(evaluateFlag(uncheckedFlag({ type: 'object', variants: { on: [1, 2], off: {} } }), {})).toMatchObject({ ok: false, errorCode: 'GENERAL' });
    });

    it('FLAG_NOT_FOUND for an unknown key', () => {
      expect(flagNotFound('nope')).toEqual({ ok: false, key: 'nope', errorCode: 'FLAG_NOT_FOUND', errorDetails: 'flag "nope" does not exist' });
    });

    it('PARSE_ERROR for a stored definition that does not parse', () => {
      const bad = parseFlagDefinition('f', '{"key":"f","rules":[{"when":"plan =="}]}');
      expect(bad).toMatchObject({ ok: false, error: { ok: false, key: 'f', errorCode: 'PARSE_ERROR' } });
      expect(parseFlagDefinition('f', 'not json')).toMatchObject({ ok: false, error: { errorCode: 'PARSE_ERROR' } });
      expect(parseFlagDefinition('f', '{"key":"g"}')).toMatchObject({ ok: false, error: { errorCode: 'PARSE_ERROR' } });
    });
  });

  it('evaluates every flag for one context', () => {
    const flags = [makeFlag({ key: 'a' }), makeFlag({ key: 'b', enabled: false })];
    expect(evaluateFlags(flags, {}).map((e) => e.ok && [e.key, e.value])).toEqual([['a', true], ['b', false]]);
  });
});
