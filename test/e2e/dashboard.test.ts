import { existsSync } from 'node:fs';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WEB_ROOT } from '../../src/server/routes/ui.js';
import { systemClock } from '../../src/shared/clock.js';
import { createToken } from '../../src/store/index.js';
import { openTestApp, type TestApp } from '../helpers/app.js';
import { launchBrowser, screenshot, signIn } from '../helpers/browser.js';

/**
 * Records, in the page, the address at each render of #root, each fetch and each EventSource, from
 * before the page's own scripts run: what a sign-in link's token must be gone by. And the length of
 * the history when the page started.
 */
const WATCH_LOCATION = `(() => {
  window.__historyAtStart = history.length;
  const seen = (window.__seen = []);
  const note = (what) => seen.push([what, location.href]);
  const fetch0 = window.fetch;
  window.fetch = function (input, init) {
    note('fetch ' + (typeof input === 'string' ? input : input.url));
    return fetch0.call(this, input, init);
  };
  const Source = window.EventSource;
  window.EventSource = class extends Source {
    constructor(u, o) {
      note('eventsource ' + u);
      super(u, o);
    }
  };
  new MutationObserver((changes) => {
    if (changes.some((c) => c.target.id === 'root')) note('render');
  }).observe(document, { childList: true, subtree: true });
})();`;

/** Records, in the page, each `change` its event stream brings, and 'open' when the stream opens. */
const WATCH_CHANGES = `(() => {
  const changes = (window.__changes = []);
  const Source = window.EventSource;
  window.EventSource = class extends Source {
    constructor(u, o) {
      super(u, o);
      this.addEventListener('open', () => changes.push('open'));
      this.addEventListener('change', (e) => changes.push(e.data));
    }
  };
})();`;

/** The dashboard in a real browser against a real server. Needs the built UI (npm install builds it). */
describe('dashboard in Chromium', () => {
  let t: TestApp;
  let url: string;
  let browser: Browser;
  let page: Page;
  /** Every request the server received: its credential and path (without the query). */
  const received: { authorization: string | undefined; path: string }[] = [];

  beforeAll(async () => {
    if (!existsSync(path.join(WEB_ROOT, 'index.html'))) throw new Error('the dashboard is not built: run `npm run build`');
    t = await openTestApp({ clock: systemClock });
    t.app.addHook('onRequest', async (request) => {
      received.push({ authorization: request.headers.authorization, path: request.url.split('?')[0]! });
    });
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
    await signIn(page, url, t.tokens.responder);
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
    await expect(page.getByText(/Incident opened \(webhook alert PaymentErrors\)/).isVisible()).resolves.toBe(true);
    await page.getByRole('button', { name: 'Acknowledge' }).click();
    await page.locator('.timeline').getByText('Acknowledged').waitFor();
    await screenshot(page, 'incident');
  });

  it('signs in from a ?token= link: the token leaves the address bar and history before anything renders or fetches, and no URL carries it again', async () => {
    const viewer = await browser.newPage();
    await viewer.addInitScript(WATCH_LOCATION);
    const urls: string[] = [];
    viewer.on('request', (r) => urls.push(r.url()));
    await viewer.goto(`${url}/?token=${t.tokens.viewer}#/incidents`);
    await viewer.getByRole('cell', { name: /PaymentErrors/ }).first().waitFor();
    // The address bar lost the token, and the history holds no entry with it: the link's entry was
    // replaced, not followed by a new one.
    expect(viewer.url()).toBe(`${url}/#/incidents`);
    expect(await viewer.evaluate('history.length')).toBe(await viewer.evaluate('window.__historyAtStart'));
    await viewer.getByRole('cell', { name: /PaymentErrors/ }).first().click();
    await viewer.getByRole('heading', { name: /PaymentErrors/ }).waitFor();
    expect(await viewer.getByRole('button', { name: 'Record cause' }).count()).toBe(0);
    await expect.poll(() => urls.some((u) => u.includes('/api/stream?')), { timeout: 10_000 }).toBe(true);

    // …and it was gone before the first render, fetch or stream.
    const seen = (await viewer.evaluate('window.__seen')) as [string, string][];
    expect(seen.map(([what]) => what)).toEqual(expect.arrayContaining(['render', 'fetch /api/me', expect.stringMatching(/^eventsource \/api\/stream\?ticket=/)]));
    for (const [what, href] of seen) expect(href, what).not.toContain('token');

    // The link itself was the only URL with the token: the stream opens with a short-lived ticket.
    expect(urls[0]).toContain(`token=${t.tokens.viewer}`);
    for (const u of urls.slice(1)) expect(u).not.toContain(t.tokens.viewer);
    const stream = new URL(urls.find((u) => u.includes('/api/stream?'))!);
    expect([...stream.searchParams.keys()]).toEqual(['ticket']);
    expect(stream.searchParams.get('ticket')).not.toContain(t.tokens.viewer);
    await viewer.close();
  });

  it('signs out a page whose token is revoked', async () => {
    const created = await t.app.inject({ method: 'POST', url: '/api/tokens', headers: t.as('admin'), payload: { name: 'browser', role: 'viewer' } });
    const { id, token } = created.json() as { id: number; token: string };
    const tab = await browser.newPage();
    const streams: string[] = [];
    tab.on('request', (r) => r.url().includes('/api/stream?') && streams.push(r.url()));
    await tab.goto(`${url}/?token=${token}#/incidents`);
    await tab.getByRole('cell', { name: /PaymentErrors/ }).first().waitFor();
    await expect.poll(() => streams.length, { timeout: 10_000 }).toBeGreaterThan(0);
    expect((await t.app.inject({ method: 'DELETE', url: `/api/tokens/${id}`, headers: t.as('admin') })).statusCode).toBe(204);
    // The server closes the stream; asking for a new ticket is refused; the page signs out.
    await tab.getByRole('alert').getByText('That token is not valid (any more).').waitFor({ timeout: 15_000 });
    expect(await tab.evaluate('localStorage.getItem("medic.token")')).toBeNull();
    await tab.close();
  });

  it('does not sign in with a flags token, and says why', async () => {
    const flags = (await createToken(t.rt.store.db, { name: 'web-app', role: 'flags', source: 'cli' }, Date.now())).token;
    const tab = await browser.newPage();
    await signIn(tab, url, flags);
    await expect(tab.getByRole('alert').innerText()).resolves.toMatch(/a flags token may only evaluate flags/);
    expect(await tab.evaluate('localStorage.getItem("medic.token")')).toBeNull();
    await tab.close();
  });

  it('refreshes, on a change, only the queries that show its kind of data (requests counted at the server)', async () => {
    const token = (await createToken(t.rt.store.db, { name: 'watcher', role: 'viewer', source: 'cli' }, Date.now())).token;
    const asked = (path: string) => received.filter((r) => r.authorization === `Bearer ${token}` && r.path === path).length;
    // Keeps the change feed polling whatever the tabs do, so the changes below are not taken as its baseline.
    const stop = t.core.changes.subscribe(() => {});
    const tab = await browser.newPage();
    try {
      await tab.addInitScript(WATCH_CHANGES);
      // The monitors page first, then the incident list: the monitors query stays in the cache, off screen.
      await tab.goto(`${url}/?token=${token}#/monitors`);
      await tab.getByText('No monitors yet').waitFor();
      await tab.getByRole('link', { name: 'Incidents', exact: true }).click();
      await tab.getByRole('cell', { name: /PaymentErrors/ }).first().waitFor();
      await expect.poll(() => tab.evaluate('window.__changes'), { timeout: 10_000 }).toContain('open');
      const list = asked('/api/incidents');
      const monitors = asked('/api/monitors');
      expect(list).toBeGreaterThan(0);
      expect(monitors).toBeGreaterThan(0);

      // A deployment: the page hears of it, and the incident list is not asked for again (only the
      // command center shows deployments). Refreshes come at most a second after a change.
      expect((await t.app.inject({ method: 'POST', url: '/api/deployments', headers: t.as('responder'), payload: { service: 'search', version: '4.2.0' } })).statusCode).toBe(201);
      await expect.poll(() => tab.evaluate('window.__changes'), { timeout: 10_000 }).toContain('deployments');
      await new Promise((r) => setTimeout(r, 2500));
      expect(asked('/api/incidents')).toBe(list);

      // A new incident: the list is asked for again and shows it; the monitors page, off screen, is not.
      await t.app.inject({ method: 'POST', url: '/api/alerts/webhook', headers: t.as('responder'), payload: { name: 'SearchDown', service: 'search', severity: 'critical' } });
      await tab.getByRole('cell', { name: /SearchDown/ }).first().waitFor({ timeout: 10_000 });
      expect(asked('/api/incidents')).toBeGreaterThan(list);
      expect(asked('/api/monitors')).toBe(monitors);
    } finally {
      stop();
      await tab.close();
    }
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
