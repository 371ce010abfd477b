import { existsSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { JobRunner } from '../../src/runtime/job-runner.js';
import { WEB_ROOT } from '../../src/server/routes/ui.js';
import { systemClock } from '../../src/shared/clock.js';
import { silentLogger } from '../../src/shared/logger.js';
import { openTestApp, type TestApp } from '../helpers/app.js';
import { launchBrowser, screenshot, signIn } from '../helpers/browser.js';
import { COMMAND_CENTER_CONFIG, seedCommandCenter, type SeededWorld } from '../helpers/command-center.js';
import { insertIncidents } from '../report/helpers.js';
import { KNOWN } from '../report/known.js';

/**
 * Every page of the dashboard in Chromium against a real server and database: the command center
 * (live, without reloading), approving a remediation from it, the kill switch with its confirmation,
 * the MTTR report, coverage and monitors; as a responder, a viewer, on a phone, in dark mode.
 * Screenshots go to test-results/.
 */
describe('dashboard pages in Chromium', () => {
  let t: TestApp;
  let url: string;
  let browser: Browser;
  let page: Page;
  let world: SeededWorld;

  beforeAll(async () => {
    if (!existsSync(path.join(WEB_ROOT, 'index.html'))) throw new Error('the dashboard is not built: run `npm run build`');
    // A short verification, so that the incident page's test sees it through in seconds.
    t = await openTestApp({ config: `${COMMAND_CENTER_CONFIG}\nverification: { window: 1m, interval: 1s, stable_for: 1s }\n`, clock: systemClock });
    world = await seedCommandCenter(t.core, (o) => t.app.inject({ ...o, headers: t.as('responder') }), Date.now());
    // Recovered incidents of last spring, for the MTTR report (the one never resolved is left out).
    await insertIncidents(t.rt.store, KNOWN.filter((k) => k.resolve !== null || k.verify !== null));
    url = await t.app.listen({ port: 0, host: '127.0.0.1' });
    browser = await launchBrowser();
    page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  }, 60_000);
  afterAll(async () => {
    await browser?.close();
    await t?.close();
  });

  it('signs in and opens on the command center, with the figures and what came just before the P1', async () => {
    await signIn(page, url, t.tokens.responder);
    await page.getByRole('heading', { name: 'Command center' }).waitFor();
    const tile = page.getByRole('region', { name: 'Error rate', exact: true });
    await expect(tile.innerText()).resolves.toMatch(/25\.0%\s*▲ 12\.5 pt\s*checks · 5 monitors/);
    await expect(page.getByRole('region', { name: 'P95 latency' }).innerText()).resolves.toMatch(/945 ms/);
    const incidents = page.getByRole('region', { name: 'Active incidents' });
    await expect(incidents.innerText()).resolves.toMatch(/P1\s*#\d+ PaymentErrors[\s\S]*after payment v2\.3\.1 \(2 min before\)/);
    await expect(page.getByRole('list', { name: 'error rate by service' }).innerText()).resolves.toMatch(/^checkout\s+37\.5%/);
    await expect(page.getByRole('region', { name: 'Monitors' }).innerText()).resolves.toMatch(/2 up\s+1 degraded\s+1 down[\s\S]*Checkout API[\s\S]*expected status 200, got 503/);
    await expect(page.getByRole('region', { name: 'Recent changes' }).innerText()).resolves.toMatch(/payment v2\.3\.1[\s\S]*just before #\d+[\s\S]*new_checkout_flow off/);
    await screenshot(page, 'command-center');
    // The picture in the README (docs/command-center.png): the top of the page at a laptop's size.
    const small = await browser.newPage({ viewport: { width: 1100, height: 720 } });
    await small.goto(`${url}/?token=${t.tokens.responder}#/`);
    await small.getByRole('region', { name: 'Error rate', exact: true }).waitFor();
    mkdirSync(path.resolve(import.meta.dirname, '../../test-results'), { recursive: true });
    await small.screenshot({ path: path.resolve(import.meta.dirname, '../../test-results/command-center-readme.png') });
    await small.close();
  });

  it('updates live when something happens, without reloading the page', async () => {
    await page.evaluate('window.__sameDocument = true');
    await t.app.inject({ method: 'POST', url: '/api/alerts/webhook', headers: t.as('responder'), payload: { name: 'CartTimeouts', service: 'checkout', severity: 'error' } });
    await page.getByRole('region', { name: 'Active incidents' }).getByText('CartTimeouts').waitFor({ timeout: 10_000 });
    expect(await page.evaluate('window.__sameDocument')).toBe(true);
  });

  it('approves the remediation waiting for a person, from the command center', async () => {
    const waiting = page.getByRole('region', { name: 'Waiting for approval' });
    await expect(waiting.innerText()).resolves.toMatch(/restart-payment\s*webhook for #\d+/);
    await waiting.getByRole('button', { name: 'Approve' }).click();
    await waiting.waitFor({ state: 'detached', timeout: 10_000 });
    const attempt = await t.rt.store.db.selectFrom('remediation_attempts').select(['status', 'decided_by']).where('id', '=', world.attemptId).executeTakeFirstOrThrow();
    expect(attempt).toEqual({ status: 'approved', decided_by: 'r' });
  });

  it('switches a flag off after a confirmation with a reason, and the change shows', async () => {
    await page.getByRole('link', { name: 'Flags', exact: true }).click();
    const toggle = page.getByRole('switch', { name: 'dark_mode on' });
    await toggle.click();
    const dialog = page.getByRole('dialog', { name: 'switch dark_mode off' });
    await expect(dialog.innerText()).resolves.toMatch(/Switch dark_mode off\?[\s\S]*Everyone gets its off variant within a second/);
    const confirm = dialog.getByRole('button', { name: 'Switch off' });
    expect(await confirm.isDisabled()).toBe(true);
    await dialog.getByLabel('Reason').fill('the dark theme hides the pay button');
    await screenshot(page, 'flags-confirm');
    await confirm.click();
    await page.getByRole('status').getByText('dark_mode is now off.').waitFor();
    await page.getByRole('switch', { name: 'dark_mode off' }).waitFor();
    expect(await t.app.inject({ method: 'GET', url: '/api/flags/dark_mode', headers: t.as('viewer') }).then((r) => r.json())).toMatchObject({ enabled: false, changes: [{ reason: 'the dark theme hides the pay button', actor: 'r' }, { actor: 'config' }] });
    await screenshot(page, 'flags');
    await page.getByRole('link', { name: 'Command center', exact: true }).click();
    await page.getByRole('region', { name: 'Recent changes' }).getByText('dark_mode').waitFor();
  });

  it('shows the MTTR report: chart, phases, maturity and the bottleneck with its lever', async () => {
    await page.getByRole('link', { name: 'MTTR', exact: true }).click();
    await expect(page.getByRole('region', { name: 'maturity' }).innerText()).resolves.toMatch(/Intermediate[\s\S]*median MTTR 35\.0 min over 6 incidents/);
    await expect(page.getByRole('region', { name: 'bottleneck' }).innerText()).resolves.toMatch(/diagnose\s*48% of MTTR[\s\S]*Lever: observability and runbooks/i);
    await page.locator('.chart canvas').first().waitFor();
    await expect(page.getByLabel('phases per period').innerText()).resolves.toMatch(/2026-03[\s\S]*2026-04[\s\S]*total/);
    await screenshot(page, 'mttr');
  });

  it('shows the coverage matrix with the gaps in red', async () => {
    await page.getByRole('link', { name: 'Coverage', exact: true }).click();
    const row = page.getByRole('row', { name: /^payment/ });
    await expect(row.innerText()).resolves.toMatch(/✗ gap/);
    const [background, bad] = await Promise.all([
      page.evaluate<string>("getComputedStyle(document.querySelector('table.matrix td.gap')).backgroundColor"),
      page.evaluate<string>("getComputedStyle(document.documentElement).getPropertyValue('--bad').trim()"),
    ]);
    expect(background).toBe(hexToRgb(bad));
    await screenshot(page, 'coverage');
  });

  it('lists monitors with their uptime, and shows one with its latency chart and the failing assertion', async () => {
    await page.getByRole('link', { name: 'Monitors', exact: true }).click();
    const row = page.getByRole('row', { name: /Checkout API/ });
    await expect(row.innerText()).resolves.toMatch(/down[\s\S]*Checkout API/);
    await screenshot(page, 'monitors');
    await row.getByRole('link', { name: 'Checkout API' }).click();
    await page.getByRole('heading', { name: /Checkout API/ }).waitFor();
    await page.locator('.chart canvas').first().waitFor();
    const failures = page.getByRole('region', { name: 'Last failures' });
    await expect(failures.innerText()).resolves.toMatch(/expected status 200, got 503[\s\S]*status\s+200\s+503/);
    await screenshot(page, 'monitor');
  });

  it('offers a viewer nothing it may not do', async () => {
    const viewer = await browser.newPage();
    await viewer.goto(`${url}/?token=${t.tokens.viewer}#/`);
    await viewer.getByRole('region', { name: 'Error rate', exact: true }).waitFor();
    await t.app.inject({ method: 'POST', url: '/api/alerts/webhook', headers: t.as('responder'), payload: { name: 'PaymentErrors', service: 'payment', severity: 'critical' } });
    expect(await viewer.getByRole('button', { name: 'Approve' }).count()).toBe(0);
    await viewer.goto(`${url}/#/flags`);
    await viewer.getByText('new_checkout_flow').waitFor();
    expect(await viewer.getByRole('switch').count()).toBe(0);
    await viewer.close();
  });

  it('works on a phone-sized screen in dark mode, usable within a second', async () => {
    const phone = await browser.newPage({ viewport: { width: 390, height: 844 }, colorScheme: 'dark' });
    // Signed in once; the measured load is a person opening the page again (assets cached).
    await phone.goto(`${url}/?token=${t.tokens.responder}#/`);
    await phone.getByRole('region', { name: 'Error rate', exact: true }).waitFor();
    const started = Date.now();
    await phone.goto(`${url}/#/`);
    await phone.getByRole('region', { name: 'Error rate', exact: true }).getByText('25.0%').waitFor();
    const usable = Date.now() - started;
    expect(usable).toBeLessThan(1000);
    expect(await phone.evaluate<string>('getComputedStyle(document.body).backgroundColor')).toBe('rgb(13, 17, 23)');
    for (const route of ['#/', '#/flags', '#/mttr', '#/coverage', '#/monitors']) {
      await phone.goto(`${url}/${route}`);
      await phone.locator('main .card').first().waitFor();
      const overflow = await phone.evaluate<number>('document.documentElement.scrollWidth - window.innerWidth');
      expect(overflow, route).toBeLessThanOrEqual(0);
    }
    await phone.goto(`${url}/#/`);
    await phone.getByRole('region', { name: 'Error rate', exact: true }).waitFor();
    await screenshot(phone, 'command-center-phone-dark');
    await phone.close();
  });

  it('shows on the incident page what each verification check found, with its figures', async () => {
    // SearchSlow is fixed by hand; the verification job watches its monitor (fast, in this config).
    const id = world.incidents.search;
    expect((await t.app.inject({ method: 'POST', url: `/api/incidents/${id}/resolve`, headers: t.as('responder'), payload: { note: 'reindexed' } })).statusCode).toBe(200);
    const runner = new JobRunner({ store: t.rt.store, queue: t.core.queue, handlers: t.core.handlers, clock: t.rt.clock, logger: silentLogger, leaseMs: 60_000, concurrency: 2, pollMs: 3_600_000, owner: 'test' });
    const evaluate = async () => {
      await runner.tick();
      await runner.idle();
    };
    try {
      await evaluate(); // no run of Search since the fix yet
      await t.rt.store.db.insertInto('check_results').values({ monitor_id: world.monitors.search, started_at: Date.now(), duration_ms: 40, status: 'up', error: null, timings: '{}', details: '[]', trace_id: null }).execute();
      for (let i = 0; i < 2; i++) {
        await new Promise((r) => setTimeout(r, 1100));
        await evaluate();
      }
    } finally {
      await runner.stop(10_000);
    }
    await page.goto(`${url}/#/incidents/${id}`);
    const timeline = page.getByRole('region', { name: 'Timeline' });
    await timeline.getByText('✓ search is healthy (Monitors: 1/1 passing). Recovery confirmed.').waitFor();
    // One line per evaluation, none folded into a count: each has figures of its own.
    expect(await timeline.locator('li.ev-verification_progress .what').allInnerTexts()).toEqual([
      'Verifying: monitor Search: no run since the fix — not healthy, 0s of the 1m window',
      'Verifying: monitor Search: 1/1 runs passed since the fix — healthy for 0s of 1s',
      'Verifying: monitor Search: 1/1 runs passed since the fix — healthy for 1s of 1s',
    ]);
    await screenshot(page, 'incident-verification');
  });
});

function hexToRgb(hex: string): string {
  const n = Number.parseInt(hex.replace('#', ''), 16);
  return `rgb(${(n >> 16) & 255}, ${(n >> 8) & 255}, ${n & 255})`;
}
