import { existsSync } from 'node:fs';
import path from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WEB_ROOT } from '../../src/server/routes/ui.js';
import { systemClock } from '../../src/shared/clock.js';
import { openTestApp, type TestApp } from '../helpers/app.js';
import { launchBrowser, screenshot } from '../helpers/browser.js';
import { seedStatusWorld, STATUS_PAGE_CONFIG, type StatusWorld } from '../helpers/status-page.js';

/**
 * The public status page in Chromium, with JavaScript turned off (the page needs none): the degraded
 * service and the active incident with its updates, on a laptop, on a phone, in dark mode; and the
 * public update form of the dashboard's incident page, whose words then reach the public page.
 * Screenshots go to test-results/.
 */
describe('the status page in Chromium', () => {
  let t: TestApp;
  let url: string;
  let browser: Browser;
  let world: StatusWorld;

  beforeAll(async () => {
    if (!existsSync(path.join(WEB_ROOT, 'index.html'))) throw new Error('the dashboard is not built: run `npm run build`');
    t = await openTestApp({ config: STATUS_PAGE_CONFIG, clock: systemClock });
    world = await seedStatusWorld(t.core, Date.now());
    const posted = await t.app.inject({
      method: 'POST',
      url: `/api/incidents/${world.checkoutIncident}/updates`,
      headers: t.as('responder'),
      payload: { status: 'identified', message: 'Checkout is slow because a payment provider answers slowly. We are switching providers.' },
    });
    expect(posted.statusCode).toBe(200);
    url = await t.app.listen({ port: 0, host: '127.0.0.1' });
    browser = await launchBrowser();
  }, 60_000);
  afterAll(async () => {
    await browser?.close();
    await t?.close();
  });

  it('shows, without JavaScript, the degraded service and the active incident with its updates', { timeout: 60_000 }, async () => {
    const context = await browser.newContext({ javaScriptEnabled: false, viewport: { width: 1280, height: 900 } });
    const page = await context.newPage();
    const res = await page.goto(`${url}/status`);
    expect(res!.status()).toBe(200);
    await expect(page.getByRole('heading', { level: 1 }).innerText()).resolves.toBe('Shop status');
    await expect(page.getByRole('status').innerText()).resolves.toMatch(/Degraded performance/);
    const incidents = page.getByRole('region', { name: 'Active incidents' });
    const incident = incidents.getByRole('article', { name: 'Degraded performance: checkout' });
    await expect(incident.innerText()).resolves.toMatch(/Identified · started [\d-]+ [\d:]+ UTC/);
    const updates = incident.getByRole('list', { name: 'Updates, newest first' }).getByRole('listitem');
    await expect(updates.allInnerTexts()).resolves.toEqual([
      expect.stringMatching(/^Identified [\d-]+ [\d:]+ UTC\s+Checkout is slow because a payment provider answers slowly\. We are switching providers\.$/),
      expect.stringMatching(/^Investigating [\d-]+ [\d:]+ UTC\s+We are aware of a problem and are investigating\.$/),
    ]);
    const services = page.getByRole('region', { name: 'Services' });
    const checkout = services.getByRole('listitem').filter({ has: page.getByRole('heading', { name: 'checkout' }) });
    await expect(checkout.innerText()).resolves.toMatch(/checkout\s+! Degraded performance[\s\S]*uptime over the last 90 days\. 1 day below 100%, the lowest 97\.91% on/);
    // The bars are a picture with a tooltip per day; colour is not the only signal (the sentence above).
    const bars = checkout.locator('ol.bars > li');
    expect(await bars.count()).toBe(90);
    expect(await bars.nth(84).getAttribute('title')).toMatch(/^\d{4}-\d{2}-\d{2}: 97\.91% uptime$/);
    expect(await page.evaluate<string>("getComputedStyle(document.querySelectorAll('.service')[1].querySelectorAll('ol.bars > li')[84]).backgroundColor")).toBe('rgb(188, 76, 0)');
    expect(await services.getByRole('heading', { name: 'internal-db' }).count()).toBe(0);
    await screenshot(page, 'status-page');
    await context.close();
  });

  it('reads on a phone: the last 30 days of bars, nothing wider than the screen; and in dark mode', { timeout: 60_000 }, async () => {
    const context = await browser.newContext({ javaScriptEnabled: false, viewport: { width: 390, height: 844 }, colorScheme: 'dark', isMobile: true });
    const page = await context.newPage();
    await page.goto(`${url}/status`);
    await page.getByRole('region', { name: 'Active incidents' }).waitFor();
    const shown = await page.evaluate<number>("[...document.querySelectorAll('.service')[0].querySelectorAll('ol.bars > li')].filter((el) => getComputedStyle(el).display !== 'none').length");
    expect(shown).toBe(30);
    expect(await page.evaluate<number>('document.documentElement.scrollWidth - window.innerWidth')).toBeLessThanOrEqual(0);
    expect(await page.locator('.axis .short').first().innerText()).toBe('30 days ago');
    expect(await page.evaluate<string>('getComputedStyle(document.documentElement).backgroundColor')).toBe('rgb(13, 17, 23)');
    await screenshot(page, 'status-page-phone-dark');
    await context.close();
  });

  it('takes a public update from the incident page, which the public page then shows', async () => {
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    await page.goto(`${url}/?token=${t.tokens.responder}#/incidents/${world.checkoutIncident}`);
    const card = page.getByRole('region', { name: 'Status page' });
    await expect(card.getByText(/Shown to the public as identified/).innerText()).resolves.toMatch(/identified/);
    const form = card.getByRole('form', { name: 'Public update' });
    await form.getByLabel('Public status').selectOption('monitoring');
    await form.getByLabel('Message for the public').fill('Payments go through the second provider now; we are watching checkout recover.');
    await form.getByRole('button', { name: 'Post update' }).click();
    await card.getByRole('status').getByText('Posted to the status page.').waitFor();
    await page.getByRole('region', { name: 'Timeline' }).getByText(/Public update \(monitoring\): Payments go through/).waitFor();
    await screenshot(page, 'incident-public-update');

    const reader = await browser.newContext({ javaScriptEnabled: false });
    const status = await reader.newPage();
    for (let i = 0; i < 50; i++) {
      await status.goto(`${url}/status`);
      if ((await status.getByText('Payments go through the second provider now').count()) > 0) break;
      await new Promise((r) => setTimeout(r, 200));
    }
    await expect(status.getByRole('article', { name: 'Degraded performance: checkout' }).innerText()).resolves.toMatch(/^Degraded performance: checkout\s+Monitoring · started[\s\S]*Monitoring [\d-]+ [\d:]+ UTC\s+Payments go through the second provider now/);
    await reader.close();
    await page.close();
  }, 90_000);
});
