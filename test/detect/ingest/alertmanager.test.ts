import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { alertmanagerBody, IngestError, normalizeAlertmanager } from '../../../src/detect/ingest/index.js';

// Real captures from Alertmanager 0.25 (see the README beside them).
const fixture = (name: string) => JSON.parse(readFileSync(fileURLToPath(new URL(`fixtures/alertmanager/${name}.json`, import.meta.url)), 'utf8')) as Record<string, unknown> & { alerts: Record<string, unknown>[] };
const GROUP_KEY = '{}:{alertname="PaymentErrorRate", service="payment-service"}';

function issuesOf(body: unknown): string[] {
  try {
    normalizeAlertmanager(body);
  } catch (err) {
    expect(err).toBeInstanceOf(IngestError);
    expect((err as IngestError).status).toBe(400);
    return (err as IngestError).issues.map((i) => `${i.path}: ${i.message}`);
  }
  throw new Error('expected the body to be refused');
}

/** The firing fixture with its one alert changed. */
function withAlert(change: (a: Record<string, unknown>) => void) {
  const body = fixture('firing');
  change(body.alerts[0]!);
  return body;
}

describe('Alertmanager webhook payload v4', () => {
  it('normalizes the real firing notification of Alertmanager 0.25 exactly', () => {
    expect(normalizeAlertmanager(fixture('firing'))).toStrictEqual({
      alerts: [
        {
          source: 'alertmanager',
          name: 'PaymentErrorRate',
          fingerprint: '45eb7d755efe749d',
          status: 'firing',
          service: 'payment-service',
          severity: 'P1',
          labels: { alertname: 'PaymentErrorRate', service: 'payment-service', severity: 'P1' },
          annotations: { summary: 'payment_error_rate > 5% for 5 minutes' },
          startsAt: Date.UTC(2026, 10, 26, 17, 38, 31),
          endsAt: null,
          title: 'payment_error_rate > 5% for 5 minutes',
          generatorUrl: 'http://prometheus.example:9090/graph?g0.expr=x',
          groupKey: GROUP_KEY,
        },
      ],
      truncatedAlerts: 0,
      groupKey: GROUP_KEY,
    });
  });

  it('normalizes the real resolved notification exactly, with the same fingerprint and an end time', () => {
    expect(normalizeAlertmanager(fixture('resolved'))).toStrictEqual({
      alerts: [
        {
          source: 'alertmanager',
          name: 'PaymentErrorRate',
          fingerprint: '45eb7d755efe749d',
          status: 'resolved',
          service: 'payment-service',
          severity: 'P1',
          labels: { alertname: 'PaymentErrorRate', service: 'payment-service', severity: 'P1' },
          annotations: { summary: 'payment_error_rate > 5% for 5 minutes' },
          startsAt: Date.UTC(2026, 10, 26, 17, 38, 31),
          endsAt: Date.UTC(2026, 10, 26, 17, 40, 4),
          title: 'payment_error_rate > 5% for 5 minutes',
          generatorUrl: 'http://prometheus.example:9090/graph?g0.expr=x',
          groupKey: GROUP_KEY,
        },
      ],
      truncatedAlerts: 0,
      groupKey: GROUP_KEY,
    });
  });

  it('falls back to the job label for the service, the alertname for the title, and P3 for severity', () => {
    const body = withAlert((a) => {
      a.labels = { alertname: 'NodeDown', job: 'node-exporter', instance: 'db-1:9100' };
      a.annotations = { description: 'db-1 has been down for 5 minutes' };
    });
    const [alert] = normalizeAlertmanager(body).alerts;
    expect(alert).toMatchObject({
      name: 'NodeDown',
      service: 'node-exporter',
      severity: 'P3',
      title: 'NodeDown',
      description: 'db-1 has been down for 5 minutes',
      labels: { alertname: 'NodeDown', job: 'node-exporter', instance: 'db-1:9100', service: 'node-exporter', severity: 'P3' },
    });
  });

  it('maps the severity words rules use', () => {
    const severityOf = (word: string) => normalizeAlertmanager(withAlert((a) => (a.labels = { alertname: 'X', severity: word }))).alerts[0]!.severity;
    expect([severityOf('critical'), severityOf('error'), severityOf('warning'), severityOf('info'), severityOf('page'), severityOf('whatever')]).toEqual(['P1', 'P2', 'P3', 'P4', 'P1', 'P3']);
  });

  it('reads nanosecond timestamps and UTC offsets as Alertmanager writes them', () => {
    const body = withAlert((a) => (a.startsAt = '2026-11-26T18:38:31.123456789+01:00'));
    expect(normalizeAlertmanager(body).alerts[0]!.startsAt).toBe(Date.UTC(2026, 10, 26, 17, 38, 31, 123));
  });

  it('keeps a firing alert open even when Alertmanager forecasts an endsAt', () => {
    const body = withAlert((a) => (a.endsAt = '2026-11-26T17:43:31Z'));
    expect(normalizeAlertmanager(body).alerts[0]!.endsAt).toBeNull();
  });

  it('gives a resolved alert with the zero endsAt no end time rather than year 1', () => {
    const body = fixture('resolved');
    body.alerts[0]!.endsAt = '0001-01-01T00:00:00Z';
    expect(normalizeAlertmanager(body).alerts[0]!.endsAt).toBeNull();
  });

  it('returns truncatedAlerts and accepts several alerts and unknown extra fields', () => {
    const body = fixture('firing');
    body.truncatedAlerts = 3;
    body.someFutureField = { nested: true };
    body.alerts.push({ ...body.alerts[0], fingerprint: 'aaaaaaaaaaaaaaaa', extra: 1 });
    const out = normalizeAlertmanager(body);
    expect(out.truncatedAlerts).toBe(3);
    expect(out.alerts.map((a) => a.fingerprint)).toEqual(['45eb7d755efe749d', 'aaaaaaaaaaaaaaaa']);
  });

  it('treats a missing truncatedAlerts (Alertmanager before 0.22) as 0', () => {
    const body = fixture('firing');
    delete body.truncatedAlerts;
    expect(normalizeAlertmanager(body).truncatedAlerts).toBe(0);
  });

  it('refuses a body that is not an object', () => {
    expect(issuesOf([])).toEqual([': expected object, got an array']);
    expect(issuesOf('hello')).toEqual([': expected object, got "hello"']);
    expect(issuesOf(null)).toEqual([': expected object, got null']);
  });

  it('names every missing required field', () => {
    const { groupKey: _g, alerts: _a, version: _v, ...body } = fixture('firing');
    expect(issuesOf(body)).toEqual([
      'version: required field missing (expected one of "4")',
      'groupKey: required field missing (expected string)',
      'alerts: required field missing (expected array)',
    ]);
    expect(issuesOf(withAlert((a) => delete a.fingerprint))).toEqual(['alerts[0].fingerprint: required field missing (expected string)']);
    expect(issuesOf(withAlert((a) => delete a.startsAt))).toEqual(['alerts[0].startsAt: required field missing (expected string)']);
    expect(issuesOf(withAlert((a) => (a.labels = { service: 'x' })))).toEqual(['alerts[0].labels: expected an "alertname" label: it names the alert']);
  });

  it('names wrongly typed fields and says what was found', () => {
    expect(issuesOf(withAlert((a) => (a.labels = { alertname: 'X', replicas: 3 })))).toEqual(['alerts[0].labels.replicas: expected string, got 3']);
    expect(issuesOf(withAlert((a) => (a.status = 'pending')))).toEqual(['alerts[0].status: expected one of "firing", "resolved", got "pending"']);
    expect(issuesOf({ ...fixture('firing'), alerts: {} })).toEqual(['alerts: expected array, got an object']);
    expect(issuesOf({ ...fixture('firing'), truncatedAlerts: -1 })[0]).toMatch(/^truncatedAlerts: /);
    expect(issuesOf({ ...fixture('firing'), version: '3' })).toEqual(['version: expected one of "4", got "3"']);
  });

  it('refuses bad dates, naming the field', () => {
    for (const bad of ['yesterday', '2026-11-26 17:38:31Z', '2026-11-26T17:38:31', '2026-02-30T00:00:00Z', '2026-11-26T25:00:00Z']) {
      expect(issuesOf(withAlert((a) => (a.startsAt = bad)))).toEqual([
        `alerts[0].startsAt: expected an ISO 8601 timestamp with a UTC offset, such as "2026-01-31T12:00:00Z", got ${JSON.stringify(bad)}`,
      ]);
    }
  });

  it('exports a schema that accepts the fixtures as they are', () => {
    expect(alertmanagerBody.safeParse(fixture('firing')).success).toBe(true);
    expect(alertmanagerBody.safeParse(fixture('resolved')).success).toBe(true);
  });
});
