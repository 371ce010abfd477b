import { describe, expect, it } from 'vitest';
import {
  evaluateFlag,
  evaluateFlags,
  evaluationError,
  flagNotFound,
  ofrepBulk,
  ofrepBulkFailure,
  ofrepConfiguration,
  ofrepEtag,
  ofrepEvaluation,
  parseFlagDefinition,
  readOfrepRequest,
  type EvaluationError,
} from '../../../src/resolve/flags/index.js';
import { makeFlag, uncheckedFlag } from './helpers.js';

describe('OFREP responses', () => {
  it('answers a successful evaluation with 200 {key, value, reason, variant, metadata}', () => {
    const f = makeFlag({ key: 'new_checkout_flow', rules: [{ when: 'plan == "pro"' }] }, { enabled: true, rollout: 1, version: 3 });
    const res = ofrepEvaluation(evaluateFlag(f, { targetingKey: 'u1', plan: 'pro' }));
    expect(res.status).toBe(200);
    expect(res.body).toStrictEqual({ key: 'new_checkout_flow', value: true, reason: 'TARGETING_MATCH', variant: 'on', metadata: { version: 3, rule: 0 } });
  });

  it('answers a disabled boolean flag with false, reason DISABLED and the value present', () => {
    const res = ofrepEvaluation(evaluateFlag(makeFlag({ key: 'k', enabled: false }), {}));
    expect(res).toStrictEqual({ status: 200, body: { key: 'k', value: false, reason: 'DISABLED', variant: 'off', metadata: {} } });
    expect(JSON.parse(JSON.stringify(res.body))).toHaveProperty('value', false);
  });

  it('answers every error code with {key, errorCode, errorDetails}: 404 for FLAG_NOT_FOUND, 400 for the rest', () => {
    const f = makeFlag({ key: 'k', rollout: '50%' });
    const cases = [
      [flagNotFound('missing'), 404, 'FLAG_NOT_FOUND'],
      [(parseFlagDefinition('k', '{') as { ok: false; error: EvaluationError }).error, 400, 'PARSE_ERROR'],
      [evaluateFlag(f, {}), 400, 'TARGETING_KEY_MISSING'],
      [evaluateFlag(f, 'not an object'), 400, 'INVALID_CONTEXT'],
      [evaluateFlag(uncheckedFlag({ key: 'k', type: 'string', variants: { x: 'x' } }), {}), 400, 'GENERAL'],
    ] as const;
    for (const [evaluation, status, errorCode] of cases) {
      const res = ofrepEvaluation(evaluation);
      expect(res.status, errorCode).toBe(status);
      expect(Object.keys(res.body).sort()).toEqual(['errorCode', 'errorDetails', 'key']);
      expect(res.body).toMatchObject({ errorCode, errorDetails: expect.any(String) });
    }
  });

  it('answers a bulk evaluation with {flags: [...]}, successes and failures alike', () => {
    const flags = [makeFlag({ key: 'a' }), makeFlag({ key: 'b', rollout: '50%' }), makeFlag({ key: 'c', enabled: false })];
    const res = ofrepBulk([...evaluateFlags(flags, {}), flagNotFound('gone')]);
    expect(res).toStrictEqual({
      status: 200,
      body: {
        flags: [
          { key: 'a', value: true, reason: 'STATIC', variant: 'on', metadata: {} },
          { key: 'b', errorCode: 'TARGETING_KEY_MISSING', errorDetails: 'flag "b" needs a targetingKey in the evaluation context' },
          { key: 'c', value: false, reason: 'DISABLED', variant: 'off', metadata: {} },
        ],
      },
    });
  });

  it('answers a bulk request that cannot be evaluated with 400 {errorCode, errorDetails}', () => {
    expect(ofrepBulkFailure('INVALID_CONTEXT', 'bad')).toStrictEqual({ status: 400, body: { errorCode: 'INVALID_CONTEXT', errorDetails: 'bad' } });
  });

  it('reads evaluation requests', () => {
    expect(readOfrepRequest({ context: { targetingKey: 'u1', plan: 'pro' } })).toEqual({ ok: true, context: { targetingKey: 'u1', plan: 'pro' } });
    expect(readOfrepRequest(undefined)).toEqual({ ok: true, context: {} });
    expect(readOfrepRequest({})).toEqual({ ok: true, context: {} });
    expect(readOfrepRequest('text')).toMatchObject({ ok: false, errorCode: 'PARSE_ERROR' });
    expect(readOfrepRequest([1])).toMatchObject({ ok: false, errorCode: 'PARSE_ERROR' });
    expect(readOfrepRequest({ context: 'u1' })).toMatchObject({ ok: false, errorCode: 'INVALID_CONTEXT' });
    expect(readOfrepRequest({ context: { targetingKey: 7 } })).toMatchObject({ ok: false, errorCode: 'INVALID_CONTEXT' });
  });

  it('describes the provider configuration with polling and caching capabilities', () => {
    expect(ofrepConfiguration()).toStrictEqual({
      status: 200,
      body: {
        name: 'medic',
        capabilities: {
          cacheInvalidation: { polling: { enabled: true, minPollingIntervalMs: 1000 } },
          flagEvaluation: { supportedTypes: ['boolean', 'string', 'int', 'float', 'object'] },
          caching: { enabled: false, ttl: 0 },
        },
      },
    });
    expect(ofrepConfiguration({ minPollingIntervalMs: 5000, cacheTtlMs: 2000 }).body.capabilities).toMatchObject({
      cacheInvalidation: { polling: { minPollingIntervalMs: 5000 } },
      caching: { enabled: true, ttl: 2000 },
    });
  });

  it('gives equal bodies equal ETags and different bodies different ones', () => {
    const a = ofrepBulk([evaluateFlag(makeFlag({ key: 'a' }), {})]).body;
    const b = ofrepBulk([evaluateFlag(makeFlag({ key: 'a' }), {})]).body;
    const c = ofrepBulk([evaluateFlag(makeFlag({ key: 'a', enabled: false }), {})]).body;
    expect(ofrepEtag(a)).toBe(ofrepEtag(b));
    expect(ofrepEtag(a)).not.toBe(ofrepEtag(c));
    expect(ofrepEtag(a)).toMatch(/^"[A-Za-z0-9_-]+"$/);
  });

  it('keeps an error built by hand in the same shape', () => {
    expect(ofrepEvaluation(evaluationError('x', 'GENERAL', 'boom'))).toStrictEqual({ status: 400, body: { key: 'x', errorCode: 'GENERAL', errorDetails: 'boom' } });
  });
});
