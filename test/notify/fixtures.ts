import { buildNotificationMessage, type IncidentLike, type NotificationMessage } from '../../src/notify/index.js';

/** An incident as the store would hand it over. */
export const incidentRow = (over: Partial<IncidentLike> = {}): IncidentLike => ({
  id: 12,
  title: 'payment_error_rate > 5% for 5 minutes',
  service: 'payment-service',
  severity: 'P1',
  status: 'open',
  labels: JSON.stringify({ alertname: 'PaymentErrorRate', service: 'payment-service', severity: 'P1' }),
  started_at: Date.UTC(2026, 0, 15, 12, 0, 0),
  detected_at: Date.UTC(2026, 0, 15, 12, 2, 0),
  cause: null,
  detect_ms: 120_000,
  ...over,
});

export const message = (over: Partial<Parameters<typeof buildNotificationMessage>[0]> = {}): NotificationMessage =>
  buildNotificationMessage({
    event: 'opened',
    incident: incidentRow(),
    idempotencyKey: '12-40-0123456789abcdef',
    baseUrl: 'https://medic.example.com',
    ...over,
  });
