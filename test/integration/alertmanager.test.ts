import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { systemClock } from '../../src/shared/clock.js';
import { startAlertmanager, type Alertmanager } from '../helpers/alertmanager.js';
import { openTestApp, type TestApp } from '../helpers/app.js';

/** Medic behind a real Alertmanager: what Prometheus users will wire up. */
describe('with a real Alertmanager', () => {
  let t: TestApp;
  let am: Alertmanager;
  let medicUrl: string;

  beforeAll(async () => {
    t = await openTestApp({ clock: systemClock });
    medicUrl = await t.app.listen({ port: 0, host: '127.0.0.1' });
    am = await startAlertmanager({ url: `${medicUrl}/api/alerts/alertmanager`, token: t.tokens.responder });
  }, 60_000);
  afterAll(async () => {
    await am?.stop();
    await t?.close();
  });

  const incidents = async () => (await t.app.inject({ method: 'GET', url: '/api/incidents', headers: t.as('viewer') })).json().incidents as Record<string, unknown>[];
  const waitFor = async <T>(get: () => Promise<T | undefined>, ms = 20_000): Promise<T> => {
    const until = Date.now() + ms;
    for (;;) {
      const v = await get();
      if (v !== undefined) return v;
      if (Date.now() > until) throw new Error('timed out waiting for Alertmanager to deliver');
      await new Promise((r) => setTimeout(r, 100));
    }
  };

  it('a firing alert opens an incident with the right started_at; resolving it resolves the incident', async () => {
    const startsAt = new Date(Date.now() - 120_000);
    startsAt.setMilliseconds(0);
    const labels = { alertname: 'PaymentErrorRate', service: 'payment-service', severity: 'critical' };
    await am.push([{ labels, annotations: { summary: 'payment_error_rate > 5% for 5 minutes' }, startsAt: startsAt.toISOString(), generatorURL: 'http://prometheus.local/graph' }]);

    const incident = await waitFor(async () => (await incidents()).find((i) => i.alertName === 'PaymentErrorRate'));
    expect(incident).toMatchObject({ status: 'open', service: 'payment-service', severity: 'P1', startedAt: startsAt.getTime(), title: 'payment_error_rate > 5% for 5 minutes' });
    const detail = (await t.app.inject({ method: 'GET', url: `/api/incidents/${incident.id}`, headers: t.as('viewer') })).json();
    expect(detail.alerts[0]).toMatchObject({ source: 'alertmanager', generatorUrl: 'http://prometheus.local/graph' });
    expect((incident.phases as { detect_ms: number }).detect_ms).toBeGreaterThanOrEqual(120_000);

    await am.push([{ labels, startsAt: startsAt.toISOString(), endsAt: new Date(Date.now() - 1000).toISOString() }]);
    const resolved = await waitFor(async () => (await incidents()).find((i) => i.id === incident.id && i.status === 'resolved'));
    expect(resolved.resolvedAt).toBeGreaterThan(incident.detectedAt as number);
  }, 60_000);
});
