import { describe, expect, it } from 'vitest';
import { loadConfigText } from '../../src/config/index.js';
import { configProblems as problems } from '../helpers/config.js';

const SERVICES = 'services: [{ name: storefront }, { name: checkout }]\nmonitors: [{ name: pay, url: "http://127.0.0.1/", service: payment-service }]\n';

describe('status_page in medic.yaml', () => {
  it('has defaults: no page unless the section is there; then /status, 90 days, automatic updates, no service', () => {
    expect(loadConfigText('', { env: {} }).config.status_page).toBeUndefined();
    expect(loadConfigText('status_page: {}\n', { env: {} }).config.status_page).toEqual({
      title: 'Status',
      path: '/status',
      services: [],
      history: 90 * 86_400_000,
      show_automatic_updates: true,
      rate_limit_per_minute: 300,
    });
  });

  it('accepts services declared under services: or checked by a monitor', () => {
    const { config } = loadConfigText(`${SERVICES}status_page: { title: "Shop status", path: /shop/status, services: [storefront, checkout, payment-service], history: 30d, show_automatic_updates: false }\n`, { env: {} });
    expect(config.status_page).toMatchObject({ path: '/shop/status', services: ['storefront', 'checkout', 'payment-service'], history: 30 * 86_400_000, show_automatic_updates: false });
  });

  it('names the key, the line and what is wrong', () => {
    expect(problems(`${SERVICES}status_page:\n  services: [storefront, chekout]\n`)).toEqual([
      expect.objectContaining({ path: 'status_page.services[1]', line: 4, message: 'unknown service "chekout" (did you mean "checkout"?); declare it under services: or as a monitor\'s service:' }),
    ]);
    expect(problems(`${SERVICES}status_page: { services: [checkout, checkout] }\n`)[0]).toMatchObject({ path: 'status_page.services[1]', message: '"checkout" is listed twice' });
    expect(problems('status_page: { path: /api/status }\n')[0]).toMatchObject({ path: 'status_page.path', message: 'must not be under /api, /ofrep, /assets, /healthz, /metrics (Medic serves those)' });
    for (const path of ['status', '/', '/status/', '/status?x=1', '/sta tus']) {
      expect(problems(`status_page: { path: "${path}" }\n`)[0], path).toMatchObject({ path: 'status_page.path', message: expect.stringMatching(/^expected a path such as "\/status"/) });
    }
    expect(problems('status_page: { history: 12h }\n')[0]).toMatchObject({ path: 'status_page.history', message: 'expected whole days from 1d to 365d, such as "90d"' });
    expect(problems('status_page: { history: 400d }\n')[0]!.message).toMatch(/whole days from 1d to 365d/);
    expect(problems('status_page: { show_automatic_update: true }\n')[0]).toMatchObject({ message: 'unknown key "show_automatic_update" (did you mean "show_automatic_updates"?)' });
    expect(problems('status_page: { rate_limit_per_minute: 0 }\n')[0]).toMatchObject({ path: 'status_page.rate_limit_per_minute' });
  });
});
