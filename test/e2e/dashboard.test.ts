import { existsSync } from 'node:fs';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WEB_ROOT } from '../../src/server/routes/ui.js';
import { systemClock } from '../../src/shared/clock.js';
import { openTestApp, type TestApp } from '../helpers/app.js';
import { launchBrowser, screenshot } from '../helpers/browser.js';

/** The dashboard in a real browser against a real server. Needs the built UI (npm install builds it). */
describe('dashboard in Chromium', () => {
  let t: TestApp;
  let url: string;
  let browser: Browser;
  let page: Page;

  beforeAll(async () => {
    if (!existsSync(path.join(WEB_ROOT, 'index.html'))) throw new Error('the dashboard is not built: run `npm run build`');
    t = await openTestApp({ clock: systemClock });
    url = await t.app.listen({ port: 0, host: '127.0.0.1' });
    await t.app.inject({ method: 'POST', url: '/api/alerts/webhook', headers: t.as('responder'), payload: { name: 'PaymentErrors', service: 'payment', severity: 'critical', description: 'error rate above 5%' } });
    browser = await launchBrowser();
    page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  }, 60_000);
  afterAll(async () => {
    await browser?.close();
    await t?.close();
  });

  it('signs in with the form and shows the incidents', async () => {
    await page.goto(url);
    await page.getByLabel('Token').fill(t.tokens.responder);
    await page.getByRole('button', { name: 'Sign in' }).click();
    // The command center is the home page; the incidents are one link away.
    await page.getByRole('heading', { name: 'Command center' }).waitFor();
    await page.getByRole('link', { name: 'Incidents', exact: true }).click();
    await page.getByRole('cell', { name: /PaymentErrors/ }).first().waitFor();
    await expect(page.getByText('PaymentErrors', { exact: false }).first().isVisible()).resolves.toBe(true);
    await screenshot(page, 'incidents');
  });

  it('opens an incident, shows its phases and timeline, and acknowledges it', async () => {
    await page.getByRole('cell', { name: /PaymentErrors/ }).first().click();
    await page.getByRole('heading', { name: /PaymentErrors/ }).waitFor();
    await expect(page.getByText('Where the time went').isVisible()).resolves.toBe(true);
    await expect(page.getByText(/Incident opened from webhook alert PaymentErrors/).isVisible()).resolves.toBe(true);
    await page.getByRole('button', { name: 'Acknowledge' }).click();
    await page.locator('.timeline').getByText('Acknowledged').waitFor();
    await screenshot(page, 'incident');
  });

  it('signs in from a ?token= link, and hides actions from a viewer', async () => {
    const viewer = await browser.newPage();
    await viewer.goto(`${url}/?token=${t.tokens.viewer}#/incidents`);
    await viewer.getByRole('cell', { name: /PaymentErrors/ }).first().click();
    await viewer.getByRole('heading', { name: /PaymentErrors/ }).waitFor();
    expect(await viewer.getByRole('button', { name: 'Record cause' }).count()).toBe(0);
    expect(new URL(viewer.url()).searchParams.get('token')).toBeNull();
    await viewer.close();
  });

  it('works on a phone-sized screen', async () => {
    const phone = await browser.newPage({ viewport: { width: 390, height: 844 } });
    await phone.goto(`${url}/?token=${t.tokens.viewer}#/incidents`);
    await phone.getByRole('cell', { name: /PaymentErrors/ }).first().waitFor();
    const overflow = await phone.evaluate<number>('document.documentElement.scrollWidth - window.innerWidth');
    expect(overflow).toBeLessThanOrEqual(0);
    await screenshot(phone, 'incidents-phone');
    await phone.close();
  });
});
