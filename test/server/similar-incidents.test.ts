import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openTestApp, type TestApp } from '../helpers/app.js';

describe('GET /api/incidents/:id says what happened last time', () => {
  let t: TestApp;
  beforeEach(async () => {
    t = await openTestApp();
  });
  afterEach(async () => t?.close());

  it('lists the earlier incident of the same alert and service with its fix', async () => {
    const post = (payload: unknown) => t.app.inject({ method: 'POST', url: '/api/alerts/webhook', headers: t.as('responder'), payload: payload as object });
    const first = (await post([{ name: 'PaymentErrors', service: 'payment', fingerprint: 'pay-1' }])).json().results[0].incidentId as number;
    const started = t.clock.now();
    t.clock.advance(5 * 60_000);
    const resolved = await t.app.inject({ method: 'POST', url: `/api/incidents/${first}/resolve`, headers: t.as('responder'), payload: { note: 'restarted the pool' } });
    expect(resolved.statusCode).toBe(200);
    t.clock.advance(60 * 60_000);
    const second = (await post([{ name: 'PaymentErrors', service: 'payment', fingerprint: 'pay-2' }])).json().results[0].incidentId as number;
    expect(second).not.toBe(first);

    const detail = (await t.app.inject({ method: 'GET', url: `/api/incidents/${second}`, headers: t.as('viewer') })).json();
    expect(detail.similar).toEqual([{ id: first, title: expect.any(String), startedAt: started, mttrMs: 5 * 60_000, phases: expect.any(Object), cause: null, fix: 'restarted the pool', postmortem: null }]);
    const firstDetail = (await t.app.inject({ method: 'GET', url: `/api/incidents/${first}`, headers: t.as('viewer') })).json();
    expect(firstDetail.similar).toEqual([]);
  });
});
