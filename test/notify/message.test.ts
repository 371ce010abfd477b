import { describe, expect, it } from 'vitest';
import { buildNotificationMessage, deliveryKey, incidentUrl } from '../../src/notify/index.js';
import { incidentRow } from './fixtures.js';

describe('notification message', () => {
  it('builds from a store row: parsed labels, camelCase times, the incident link and phases', () => {
    const message = buildNotificationMessage({ event: 'opened', incident: incidentRow(), idempotencyKey: 'k1', baseUrl: 'https://medic.example.com/' });
    expect(message).toStrictEqual({
      event: 'opened',
      incident: {
        id: 12,
        title: 'payment_error_rate > 5% for 5 minutes',
        service: 'payment-service',
        severity: 'P1',
        status: 'open',
        labels: { alertname: 'PaymentErrorRate', service: 'payment-service', severity: 'P1' },
        startedAt: Date.UTC(2026, 0, 15, 12, 0, 0),
        detectedAt: Date.UTC(2026, 0, 15, 12, 2, 0),
        url: 'https://medic.example.com/incidents/12',
        phases: { detect_ms: 120_000 },
      },
      text: '[P1] Incident #12 opened: payment_error_rate > 5% for 5 minutes (payment-service)',
      idempotencyKey: 'k1',
    });
    // Plain JSON: a job payload carries it unchanged.
    expect(JSON.parse(JSON.stringify(message))).toStrictEqual(message);
  });

  it('says who acted, the cause, the details and the MTTR once verified', () => {
    const message = buildNotificationMessage({
      event: 'verified',
      incident: incidentRow({ status: 'closed', cause: 'bad deploy 1.4.2', mttr_ms: 14 * 60_000, labels: { team: 'payments' } }),
      idempotencyKey: 'k2',
      details: ['Rolled back to 1.4.1', 'Error rate 0.2% for 5m'],
    });
    expect(message.text).toBe('[P1] Incident #12 recovery verified, MTTR 14m: payment_error_rate > 5% for 5 minutes (payment-service)');
    expect(message.incident.cause).toBe('bad deploy 1.4.2');
    expect(message.incident.labels).toEqual({ team: 'payments' });
    expect(message.incident.url).toBeUndefined();
    expect(message.details).toEqual(['Rolled back to 1.4.1', 'Error rate 0.2% for 5m']);
    const ack = buildNotificationMessage({ event: 'acknowledged', incident: incidentRow({ service: null }), idempotencyKey: 'k3', actor: 'alice' });
    expect(ack.text).toBe('[P1] Incident #12 acknowledged by alice: payment_error_rate > 5% for 5 minutes');
  });

  it('keeps the text on one line and falls back for missing timestamps and odd severities', () => {
    const message = buildNotificationMessage({
      event: 'degraded',
      incident: incidentRow({ title: 'slow\nlogin', severity: 'warning', started_at: null, detected_at: null, created_at: 1000 }),
      idempotencyKey: 'k',
    });
    expect(message.text).toBe('[P3] Incident #12 degraded: slow login (payment-service)');
    expect([message.incident.startedAt, message.incident.detectedAt]).toEqual([1000, 1000]);
  });

  it('derives a stable, header-safe delivery key unique per incident, event and channel', () => {
    const a = deliveryKey({ incidentId: 12, eventId: 40, channel: '#payments team' });
    expect(a).toBe(deliveryKey({ incidentId: 12, eventId: 40, channel: '#payments team' }));
    expect(a).toMatch(/^12-40-[0-9a-f]{16}$/);
    expect(new Set([a, deliveryKey({ incidentId: 12, eventId: 41, channel: '#payments team' }), deliveryKey({ incidentId: 12, eventId: 40, channel: 'ops' }), deliveryKey({ incidentId: 13, eventId: 40, channel: '#payments team' })]).size).toBe(4);
  });

  it('links to the incident under a base URL with a path', () => {
    expect(incidentUrl('https://ops.example.com/medic', 7)).toBe('https://ops.example.com/medic/incidents/7');
  });
});
