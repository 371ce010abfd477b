import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openTestApp, type TestApp } from '../helpers/app.js';
import { ENGINES } from '../helpers/stores.js';

/** The OFREP endpoints through the real app: every status code the protocol defines, ETag/304, auth. */

const CONFIG = `
flags:
  - { key: new_checkout_flow, rollout: 25%, service: checkout, rules: [{ when: 'plan == "pro"' }] }
  - { key: dark_mode, enabled: false }
  - key: checkout_theme
    type: string
    variants: { dark: "#000", light: "#fff" }
    default_variant: dark
    off_variant: light
    rules: [{ when: 'country in [US, CA]', variant: light }]
  - { key: limits, type: object, variants: { on: { max: 5 }, off: { max: 0 } } }
`;

describe.each(ENGINES)('OFREP on %s', (engine) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await openTestApp({ engine, config: CONFIG });
  });
  afterAll(async () => t?.close());

  const apiKey = () => ({ 'x-api-key': t.tokens.viewer });
  const evaluate = (key: string, payload?: unknown, headers: Record<string, string> = apiKey()) =>
    t.app.inject({ method: 'POST', url: `/ofrep/v1/evaluate/flags/${key}`, headers, ...(payload === undefined ? {} : typeof payload === 'string' ? { payload, headers: { ...headers, 'content-type': 'application/json' } } : { payload: payload as object }) });
  const bulk = (payload: unknown, headers: Record<string, string> = {}) =>
    t.app.inject({ method: 'POST', url: '/ofrep/v1/evaluate/flags', headers: { ...apiKey(), ...headers }, ...(typeof payload === 'string' ? { payload, headers: { ...apiKey(), ...headers, 'content-type': 'application/json' } } : { payload: payload as object }) });

  describe('POST /ofrep/v1/evaluate/flags/{key}', () => {
    it('200: key, value, reason, variant and metadata, as JSON', async () => {
      const res = await evaluate('new_checkout_flow', { context: { targetingKey: 'u1', plan: 'pro' } });
      expect(res.statusCode).toBe(200);
      expect(res.headers['content-type']).toMatch(/^application\/json/);
      expect(res.json()).toStrictEqual({ key: 'new_checkout_flow', value: true, reason: 'TARGETING_MATCH', variant: 'on', metadata: { version: 1, rule: 0 } });
      expect((await evaluate('new_checkout_flow', { context: { targetingKey: 'u1', plan: 'free' } })).json()).toMatchObject({ reason: 'SPLIT', value: expect.any(Boolean) });
      expect((await evaluate('checkout_theme', { context: { country: 'US' } })).json()).toMatchObject({ value: '#fff', variant: 'light', reason: 'TARGETING_MATCH' });
      expect((await evaluate('checkout_theme', { context: {} })).json()).toMatchObject({ value: '#000', variant: 'dark', reason: 'STATIC' });
      expect((await evaluate('limits', { context: {} })).json()).toMatchObject({ value: { max: 5 }, reason: 'STATIC' });
    });

    it('200 for a disabled boolean flag: value false, reason DISABLED', async () => {
      const res = await evaluate('dark_mode', { context: { targetingKey: 'u1' } });
      expect(res.statusCode).toBe(200);
      expect(res.json()).toStrictEqual({ key: 'dark_mode', value: false, reason: 'DISABLED', variant: 'off', metadata: { version: 1 } });
    });

    it('treats no body, or no context, as an empty context', async () => {
      expect((await evaluate('checkout_theme')).json()).toMatchObject({ value: '#000' });
      expect((await evaluate('checkout_theme', '')).statusCode).toBe(200);
      expect((await evaluate('checkout_theme', {})).json()).toMatchObject({ value: '#000' });
    });

    it('404 FLAG_NOT_FOUND for an unknown key', async () => {
      const res = await evaluate('nope', { context: {} });
      expect(res.statusCode).toBe(404);
      expect(res.json()).toStrictEqual({ key: 'nope', errorCode: 'FLAG_NOT_FOUND', errorDetails: 'flag "nope" does not exist' });
    });

    it('400 with an errorCode for a bad context, a missing targeting key, a body that is not JSON', async () => {
      const cases: [unknown, string][] = [
        [{ context: 'user-1' }, 'INVALID_CONTEXT'],
        [{ context: { targetingKey: 42 } }, 'INVALID_CONTEXT'],
        [{ context: { plan: 'free' } }, 'TARGETING_KEY_MISSING'],
        ['{"context": ', 'PARSE_ERROR'],
        ['[1, 2]', 'PARSE_ERROR'],
      ];
      for (const [payload, errorCode] of cases) {
        const res = await evaluate('new_checkout_flow', payload);
        expect(res.statusCode, JSON.stringify(payload)).toBe(400);
        expect(res.json(), JSON.stringify(payload)).toStrictEqual({ key: 'new_checkout_flow', errorCode, errorDetails: expect.any(String) });
      }
    });

    it('400 PARSE_ERROR for a stored definition that cannot be read', async () => {
      await t.rt.store.db.insertInto('flags').values({ key: 'broken', definition: '{"key":"broken","rules":[{"when":"plan =="}]}', enabled: 1, rollout: 1, config_hash: null, updated_by_source: 'api', version: 1, updated_at: 0 }).execute();
      await t.core.flags.refresh();
      const res = await evaluate('broken', { context: {} });
      expect(res.statusCode).toBe(400);
      expect(res.json()).toMatchObject({ key: 'broken', errorCode: 'PARSE_ERROR' });
      await t.rt.store.db.deleteFrom('flags').where('key', '=', 'broken').execute();
      await t.core.flags.refresh();
    });

    it('answers with the headers of any other answer: JSON type, length, the security headers', async () => {
      const other = await t.app.inject({ method: 'GET', url: '/healthz' });
      const security = Object.keys(other.headers).filter((h) => !['content-type', 'content-length', 'date', 'connection', 'keep-alive'].includes(h));
      expect(security).toContain('content-security-policy');
      for (const res of [await evaluate('new_checkout_flow', { context: { targetingKey: 'u1', plan: 'pro' } }), await evaluate('nope', {}), await t.app.inject({ method: 'GET', url: '/ofrep/v1/configuration', headers: apiKey() })]) {
        expect(res.headers['content-type']).toBe('application/json; charset=utf-8');
        expect(res.headers['content-length']).toBe(String(Buffer.byteLength(res.body)));
        for (const h of security) expect(res.headers[h], h).toBe(other.headers[h]);
      }
    });

    it('401 without a token or with a wrong one; a viewer token is enough, as X-API-Key or bearer', async () => {
      expect((await evaluate('dark_mode', {}, {})).statusCode).toBe(401);
      expect((await evaluate('dark_mode', {}, { 'x-api-key': 'mdk_wrong' })).statusCode).toBe(401);
      expect((await evaluate('dark_mode', {}, t.as('viewer'))).statusCode).toBe(200);
      expect((await evaluate('dark_mode', {}, { 'x-api-key': t.tokens.admin })).statusCode).toBe(200);
    });
  });

  describe('POST /ofrep/v1/evaluate/flags (bulk)', () => {
    it('200: every flag in key order, successes and failures alike, with an ETag', async () => {
      const res = await bulk({ context: { country: 'US' } });
      expect(res.statusCode).toBe(200);
      expect(res.headers.etag).toMatch(/^"[\w-]+"$/);
      const body = res.json();
      expect(body.flags.map((f: { key: string }) => f.key)).toEqual(['checkout_theme', 'dark_mode', 'limits', 'new_checkout_flow']);
      expect(body.flags[0]).toStrictEqual({ key: 'checkout_theme', value: '#fff', reason: 'TARGETING_MATCH', variant: 'light', metadata: { version: 1, rule: 0 } });
      expect(body.flags[3]).toMatchObject({ key: 'new_checkout_flow', errorCode: 'TARGETING_KEY_MISSING' });
    });

    it('304 Not Modified for If-None-Match while nothing changed; 200 with a new ETag once something did', async () => {
      const context = { context: { targetingKey: 'u7', plan: 'pro' } };
      const first = await bulk(context);
      const etag = first.headers.etag as string;
      const again = await bulk(context, { 'if-none-match': etag });
      expect(again.statusCode).toBe(304);
      expect(again.body).toBe('');
      expect(again.headers.etag).toBe(etag);
      expect((await bulk(context, { 'if-none-match': `"other", W/${etag}` })).statusCode).toBe(304);
      expect((await bulk(context, { 'if-none-match': '*' })).statusCode).toBe(304);
      // Another context is another answer.
      expect((await bulk({ context: { targetingKey: 'u7', plan: 'free', country: 'US' } }, { 'if-none-match': etag })).statusCode).toBe(200);

      await t.core.flags.change({ key: 'new_checkout_flow', enabled: false, actor: 'test', reason: 'kill switch', source: 'api' });
      const changed = await bulk(context, { 'if-none-match': etag });
      expect(changed.statusCode).toBe(200);
      expect(changed.headers.etag).not.toBe(etag);
      expect(changed.json().flags[3]).toMatchObject({ key: 'new_checkout_flow', value: false, reason: 'DISABLED' });
      await t.core.flags.change({ key: 'new_checkout_flow', enabled: true, actor: 'test', reason: 'back', source: 'api' });
    });

    it('400 {errorCode, errorDetails} for a context that is not an object or a body that is not JSON', async () => {
      const bad = await bulk({ context: [1] });
      expect(bad.statusCode).toBe(400);
      expect(bad.json()).toStrictEqual({ errorCode: 'INVALID_CONTEXT', errorDetails: expect.any(String) });
      const unparsable = await bulk('{nope');
      expect(unparsable.statusCode).toBe(400);
      expect(unparsable.json()).toStrictEqual({ errorCode: 'PARSE_ERROR', errorDetails: expect.any(String) });
    });

    it('401 without a token', async () => {
      expect((await t.app.inject({ method: 'POST', url: '/ofrep/v1/evaluate/flags', payload: {} })).statusCode).toBe(401);
    });
  });

  it('GET /ofrep/v1/configuration: polling, no server-side caching, every flag type', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/ofrep/v1/configuration', headers: apiKey() });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toStrictEqual({
      name: 'medic',
      capabilities: {
        cacheInvalidation: { polling: { enabled: true, minPollingIntervalMs: 1000 } },
        flagEvaluation: { supportedTypes: ['boolean', 'string', 'int', 'float', 'object'] },
        caching: { enabled: false, ttl: 0 },
      },
    });
    expect((await t.app.inject({ method: 'GET', url: '/ofrep/v1/configuration' })).statusCode).toBe(401);
  });

  it('documents the endpoints in the OpenAPI document', async () => {
    const doc = (await t.app.inject({ method: 'GET', url: '/api/docs/json' })).json();
    expect(Object.keys(doc.paths)).toEqual(expect.arrayContaining(['/ofrep/v1/evaluate/flags/{key}', '/ofrep/v1/evaluate/flags', '/ofrep/v1/configuration', '/api/flags', '/api/flags/{key}']));
    expect(doc.paths['/ofrep/v1/evaluate/flags/{key}'].post.responses).toHaveProperty('404');
  });
});
