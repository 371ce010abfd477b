import { existsSync } from 'node:fs';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ingestAlerts } from '../../src/incidents/index.js';
import { WEB_ROOT } from '../../src/server/routes/ui.js';
import { openTestApp, type TestApp } from '../helpers/app.js';
import { runDueJobs } from '../helpers/automation.js';
import { launchBrowser, screenshot, signIn } from '../helpers/browser.js';
import { alert } from '../helpers/incidents.js';
import { startSink, type Sink } from '../notify/sink.js';

/** The On call page and the incident page's pages, in Chromium against a real server and database. */
describe('on call in the dashboard', () => {
  let t: TestApp;
  let sink: Sink;
  let url: string;
  let browser: Browser;
  let page: Page;
  let incidentId: number;

  beforeAll(async () => {
    if (!existsSync(path.join(WEB_ROOT, 'index.html'))) throw new Error('the dashboard is not built: run `npm run build`');
    sink = await startSink();
    t = await openTestApp({
      config: `
people:
  - { name: alice, webhook: "${sink.url}/alice" }
  - { name: bob, webhook: "${sink.url}/bob" }
  - { name: carol, webhook: "${sink.url}/carol" }
oncall:
  schedules:
    - name: payments-primary
      timezone: Europe/Berlin
      rotation: { start: "2026-11-23T09:00", every: 1w, people: [alice, bob] }
      overrides: [{ person: carol, from: "2026-12-01T09:00", to: "2026-12-02T09:00" }]
  escalation_policies:
    - { name: payments, page: immediately, levels: [{ notify: [schedule:payments-primary] }, { after: 10m, notify: [person:carol] }] }
services:
  - { name: payment, escalation: payments }
`,
    });
    const [r] = await ingestAlerts(t.core.incidents, [alert()], 'test');
    incidentId = r!.incidentId!;
    await runDueJobs(t.core, t.clock);
    url = await t.app.listen({ port: 0, host: '127.0.0.1' });
    browser = await launchBrowser();
    page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    await signIn(page, url, t.tokens.viewer);
    await page.getByRole('heading', { name: 'Command center' }).waitFor();
  }, 60_000);
  afterAll(async () => {
    await browser?.close();
    await t?.close();
    await sink?.close();
  });

  it('shows who is on call now and next, and the rotation over two weeks', async () => {
    await page.getByRole('link', { name: 'On call' }).click();
    await page.getByRole('heading', { name: 'On call' }).waitFor();
    const schedule = page.getByRole('region', { name: 'schedule payments-primary' });
    await expect(schedule.innerText()).resolves.toMatch(/Now: alice until[\s\S]*Next: bob from/);
    const rotation = schedule.getByRole('img');
    await expect(rotation.locator('.shift').allInnerTexts()).resolves.toEqual(['alice', 'bob', 'carol', 'bob', 'alice']);
    await expect(rotation.locator('.shift.override').innerText()).resolves.toBe('carol');
    await expect(page.getByRole('table').innerText()).resolves.toMatch(/payments[\s\S]*immediately[\s\S]*schedule:payments-primary → alice[\s\S]*after 10m: person:carol/);
    await screenshot(page, 'oncall');
  });

  it('shows on the incident page who was paged and when', async () => {
    await page.goto(`${url}/#/incidents/${incidentId}`);
    const paged = page.getByRole('region', { name: 'Paged' });
    await expect(paged.innerText()).resolves.toMatch(/alice\s*webhook · level 1\s*delivered/);
  });
});
