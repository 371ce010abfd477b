import { existsSync } from 'node:fs';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { insertIncident } from '../../src/incidents/index.js';
import { WEB_ROOT } from '../../src/server/routes/ui.js';
import { systemClock } from '../../src/shared/clock.js';
import { openTestApp, type TestApp } from '../helpers/app.js';
import { launchBrowser, screenshot, signIn } from '../helpers/browser.js';
import { incidentRow } from '../helpers/incidents.js';

const DAY = 86_400_000;

/**
 * What diagnosis gains from history, in Chromium against a real server and database: the incident page
 * shows what happened last time beside the timeline, and the coverage page the incident types to
 * automate next under the alert coverage matrix.
 */
describe('last time this happened and the top ten without automation in Chromium', () => {
  let t: TestApp;
  let url: string;
  let browser: Browser;
  let page: Page;
  let earlier: number;
  let current: number;

  beforeAll(async () => {
    if (!existsSync(path.join(WEB_ROOT, 'index.html'))) throw new Error('the dashboard is not built: run `npm run build`');
    t = await openTestApp({
      clock: systemClock,
      config: `runbooks:\n  - { name: errors, alert: HighErrorRate, steps: [{ name: a, run: "true" }] }\n`,
    });
    const now = Date.now();
    earlier = (await insertIncident(t.rt.store.db, incidentRow({
      fingerprint: 'fp-last-week',
      // Text from a person: shown as text, never as markup.
      cause: 'connection pool <b>exhausted</b>',
      started_at: now - 7 * DAY,
      detected_at: now - 7 * DAY,
      resolved_at: now - 7 * DAY + 25 * 60_000,
      mttr_ms: 25 * 60_000,
      created_at: now - 7 * DAY,
      updated_at: now - 7 * DAY,
    })))!.id;
    await t.rt.store.db.insertInto('incident_events').values({ incident_id: earlier, at: now - 7 * DAY, actor: 'alice', type: 'resolved', payload: JSON.stringify({ note: 'raised the pool size to 50' }), created_at: now - 7 * DAY }).execute();
    const res = await t.app.inject({ method: 'POST', url: '/api/alerts/webhook', headers: t.as('responder'), payload: { name: 'HighErrorRate', service: 'payment', severity: 'critical' } });
    current = res.json().results[0].incidentId as number;
    await t.app.inject({ method: 'POST', url: '/api/alerts/webhook', headers: t.as('responder'), payload: { name: 'DiskFull', service: 'db', severity: 'warning' } });
    url = await t.app.listen({ port: 0, host: '127.0.0.1' });
    browser = await launchBrowser();
    page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  }, 60_000);
  afterAll(async () => {
    await browser?.close();
    await t?.close();
  });

  it('shows on the incident page what the cause and fix were last time, and links to it', async () => {
    await signIn(page, url, t.tokens.viewer);
    await page.goto(`${url}/#/incidents/${current}`);
    const last = page.getByRole('region', { name: 'Last time this happened' });
    await last.waitFor({ timeout: 15_000 });
    expect(await last.innerText()).toMatch(new RegExp(`#${earlier}\\s+\\d{4}-\\d\\d-\\d\\d · MTTR 25m\\s+Cause: connection pool <b>exhausted</b>\\s+Fix: raised the pool size to 50`));
    expect(await last.locator('b').count()).toBe(0);
    await screenshot(page, 'incident-last-time');
    await last.getByRole('link', { name: `#${earlier}` }).click();
    await page.getByRole('heading', { name: new RegExp(`#${earlier} HighErrorRate on payment`) }).waitFor();
  });

  it('lists the incident types to automate next under the coverage matrix', async () => {
    await page.goto(`${url}/#/coverage`);
    const card = page.getByRole('region', { name: 'Top ten without automation (90 days)' });
    await card.waitFor({ timeout: 15_000 });
    const rows = await card.locator('tbody tr').allInnerTexts();
    // Two HighErrorRate on payment (a runbook, no rule), one DiskFull (neither), both still lacking a rule.
    expect(rows.map((r) => r.split('\t').map((c) => c.trim()))).toEqual([
      ['HighErrorRate', 'payment', '2', '25m', '25m', '✓', '✗'],
      ['DiskFull', 'db', '1', '—', '—', '✗', '✗'],
    ]);
    // The matrix comes first, then this card.
    const order = await page.evaluate<string[]>("[...document.querySelectorAll('main section.card h2')].map((h) => h.textContent)");
    expect(order.indexOf('Top ten without automation (90 days)')).toBe(order.indexOf('Services × failure modes') + 1);
    await screenshot(page, 'coverage-automation');
  });
});
