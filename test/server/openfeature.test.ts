import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { OFREPProvider } from '@openfeature/ofrep-provider';
import { OpenFeature, type Client } from '@openfeature/server-sdk';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.js';
import { kill, spawnMedic } from '../helpers/process.js';

/**
 * End to end, as an application sees Medic: a real `medic start` process on 127.0.0.1:0 and the official
 * OpenFeature server SDK with its OFREP provider, authenticated by a `flags` token from medic.yaml (the role for applications). The
 * kill switch is pulled from another process, `medic flags disable` (the CLI, here in the test process),
 * and the application sees it within a few seconds; then a responder switches it back through the API.
 *
 * This provider (0.1.x) keeps no cache of its own: it asks Medic on every evaluation, so what the test
 * waits for is Medic noticing a change made by another process (its 500 ms poll), nothing client-side.
 */

const APP = 'flags-token-for-the-shop-app';
const RESPONDER = 'responder-token-for-the-oncall';
const DOMAIN = 'medic-e2e';

describe('OpenFeature SDK with the OFREP provider against a running Medic', () => {
  let dir: string;
  let file: string;
  let url: string;
  let medic: ReturnType<typeof spawnMedic>;
  let client: Client;
  const env = { MEDIC_APP_TOKEN: APP, MEDIC_ONCALL_TOKEN: RESPONDER };

  beforeAll(async () => {
    dir = mkdtempSync(path.join(tmpdir(), 'medic-ofrep-'));
    file = path.join(dir, 'medic.yaml');
    writeFileSync(
      file,
      `server: { host: 127.0.0.1 }
storage: { url: "sqlite://${dir}/medic.db" }
auth:
  tokens:
    - { name: shop-app, role: flags, token: "\${MEDIC_APP_TOKEN}" }
    - { name: oncall, role: responder, token: "\${MEDIC_ONCALL_TOKEN}" }
flags:
  - { key: new_checkout_flow, rollout: 25%, service: checkout, rules: [{ when: 'plan == "pro"' }] }
  - key: checkout_theme
    type: string
    variants: { dark: "#000", light: "#fff" }
    default_variant: dark
    off_variant: light
    rules: [{ when: 'country in [US, CA]', variant: light }]
  - { key: max_items, type: number, variants: { on: 50, off: 10 } }
`,
    );
    // The CLI below reads the same medic.yaml, whose tokens come from the environment.
    Object.assign(process.env, env);
    medic = spawnMedic(['start', '-c', file, '--port', '0'], { env });
    await medic.waitFor(/Medic is running on http:\/\/\S+/);
    url = /Medic is running on (http:\/\/\S+)/.exec(medic.output())![1]!;
    await OpenFeature.setProviderAndWait(DOMAIN, new OFREPProvider({ baseUrl: url, headers: { 'X-API-Key': APP } }));
    client = OpenFeature.getClient(DOMAIN);
  }, 60_000);

  afterAll(async () => {
    await OpenFeature.clearProviders();
    if (medic) kill(medic.child, 'SIGTERM');
    await medic?.exited;
  });

  const pro = { targetingKey: 'user-1', plan: 'pro' };

  it('evaluates boolean, string and number flags with their reason, variant and metadata', async () => {
    expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    const details = await client.getBooleanDetails('new_checkout_flow', false, pro);
    expect(details).toMatchObject({ value: true, variant: 'on', reason: 'TARGETING_MATCH', flagMetadata: { version: 1, rule: 0 } });
    expect(details.errorCode).toBeUndefined();
    expect(await client.getStringValue('checkout_theme', 'none', { targetingKey: 'u2', country: 'CA' })).toBe('#fff');
    expect(await client.getStringValue('checkout_theme', 'none', { targetingKey: 'u2', country: 'FR' })).toBe('#000');
    expect(await client.getNumberValue('max_items', 0)).toBe(50);
  });

  it('splits by targeting key: the same user always gets the same answer, about a quarter get the flag', async () => {
    const values = await Promise.all(Array.from({ length: 200 }, (_, i) => client.getBooleanValue('new_checkout_flow', false, { targetingKey: `user-${i}`, plan: 'free' })));
    const again = await Promise.all(Array.from({ length: 200 }, (_, i) => client.getBooleanValue('new_checkout_flow', false, { targetingKey: `user-${i}`, plan: 'free' })));
    expect(again).toEqual(values);
    const on = values.filter(Boolean).length;
    expect(on).toBeGreaterThan(20);
    expect(on).toBeLessThan(80);
  });

  it("the application's flags token reads nothing but flag evaluations", async () => {
    for (const path of ['/api/incidents', '/api/flags', '/api/deployments', '/api/monitors', '/api/me']) {
      const res = await fetch(`${url}${path}`, { headers: { 'x-api-key': APP } });
      expect(res.status, path).toBe(403);
    }
  });

  it('falls back to the default value with the error code OFREP answered', async () => {
    expect(await client.getBooleanDetails('no_such_flag', true)).toMatchObject({ value: true, errorCode: 'FLAG_NOT_FOUND', reason: 'ERROR' });
    expect(await client.getBooleanDetails('new_checkout_flow', false, { plan: 'free' })).toMatchObject({ value: false, errorCode: 'TARGETING_KEY_MISSING' });
  });

  it('sees the kill switch within seconds: disabled from the CLI, enabled again through the API', async () => {
    const disabled = await runCli(['flags', 'disable', 'new_checkout_flow', '--reason', 'checkout 500s', '-c', file]);
    expect(disabled.code, disabled.stderr).toBe(0);
    expect(disabled.stdout).toMatch(/new_checkout_flow is now off \(v2/);

    const waitFor = async (expected: { value: boolean; reason: string }) => {
      const started = Date.now();
      let last = await client.getBooleanDetails('new_checkout_flow', true, pro);
      while ((last.value !== expected.value || last.reason !== expected.reason) && Date.now() - started < 5000) {
        await new Promise((r) => setTimeout(r, 50));
        last = await client.getBooleanDetails('new_checkout_flow', true, pro);
      }
      return last;
    };
    expect(await waitFor({ value: false, reason: 'DISABLED' })).toMatchObject({ value: false, variant: 'off', reason: 'DISABLED', flagMetadata: { version: 2 } });

    const res = await fetch(`${url}/api/flags/new_checkout_flow`, {
      method: 'PUT',
      headers: { authorization: `Bearer ${RESPONDER}`, 'content-type': 'application/json' },
      body: JSON.stringify({ enabled: true, reason: 'fixed forward' }),
    });
    expect(res.status).toBe(200);
    // The API server made this change itself: it serves it at once.
    expect(await client.getBooleanDetails('new_checkout_flow', false, pro)).toMatchObject({ value: true, reason: 'TARGETING_MATCH', flagMetadata: { version: 3 } });

    const list = await runCli(['flags', 'list', '--json', '-c', file]);
    expect(JSON.parse(list.stdout).flags.find((f: { key: string }) => f.key === 'new_checkout_flow')).toMatchObject({
      enabled: true,
      version: 3,
      source: 'api',
      lastChange: { actor: 'oncall', reason: 'fixed forward' },
    });
  }, 30_000);
});
