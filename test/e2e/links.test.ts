import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { systemClock } from '../../src/shared/clock.js';
import { toJson } from '../../src/store/index.js';
import { openTestApp, type TestApp } from '../helpers/app.js';
import { launchBrowser, signIn } from '../helpers/browser.js';

/**
 * Defence in depth for links that came from data: ingest keeps only http(s) links, and the dashboard
 * never renders anything else as an href, even for rows stored before ingest checked (inserted here
 * directly).
 */
describe('links from data in Chromium', () => {
  let t: TestApp;
  let url: string;
  let browser: Browser;

  beforeAll(async () => {
    t = await openTestApp({ clock: systemClock });
    url = await t.app.listen({ port: 0, host: '127.0.0.1' });
    browser = await launchBrowser();
  }, 60_000);
  afterAll(async () => {
    await browser?.close();
    await t?.close();
  });

  it('renders an http(s) alert source as a link and a javascript: or data: one as nothing', async () => {
    const res = await t.app.inject({ method: 'POST', url: '/api/alerts/webhook', headers: t.as('responder'), payload: { name: 'Stored', service: 'shop' } });
    const id = res.json().results[0].incidentId as number;
    const now = Date.now();
    const row = (name: string, generator_url: string) => ({
      incident_id: id, fingerprint: `fp-${name}`, source: 'alertmanager', name, service: 'shop', severity: 'P3', status: 'firing',
      labels: toJson({ alertname: name }), annotations: '{}', starts_at: now, ends_at: null, received_at: now, generator_url, group_key: null, silence_id: null,
    });
    await t.rt.store.db.insertInto('alerts').values([
      row('ScriptLink', 'javascript:alert(document.domain)'),
      row('DisguisedLink', ' JaVa\tScRiPt:alert(1)'),
      row('DataLink', 'data:text/html,<script>alert(1)</script>'),
      row('GoodLink', 'https://prometheus.example/graph?g0.expr=up'),
    ]).execute();

    const page = await browser.newPage();
    await signIn(page, url, t.tokens.viewer);
    await page.goto(`${url}/#/incidents/${id}`);
    const alerts = page.getByRole('region', { name: 'Alerts' });
    await alerts.getByText('GoodLink').waitFor();
    await expect(alerts.innerText()).resolves.toMatch(/ScriptLink[\s\S]*DisguisedLink[\s\S]*DataLink/);
    const hrefs = async (links: ReturnType<typeof page.locator>) => Promise.all((await links.all()).map((l) => l.getAttribute('href')));
    // The dashboard's own links are fragments (#/incidents); every other one is http(s).
    expect((await hrefs(page.locator('a[href]'))).filter((h) => !/^(https?:|#)/i.test(h ?? ''))).toEqual([]);
    expect(await hrefs(alerts.getByRole('link', { name: 'source' }))).toEqual(['https://prometheus.example/graph?g0.expr=up']);
    await page.close();
  });
});
