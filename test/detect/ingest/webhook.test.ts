import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { IngestError, MAX_WEBHOOK_ALERTS, normalizeWebhook, webhookBody, webhookFingerprint } from '../../../src/detect/ingest/index.js';
import { ALERT_LIMITS } from '../../../src/incidents/index.js';
import { ManualClock } from '../../../src/shared/clock.js';

const clock = new ManualClock(Date.UTC(2026, 0, 15, 12, 0, 0));
const normalize = (body: unknown) => normalizeWebhook(body, { clock });

function issuesOf(body: unknown): string[] {
  try {
    normalize(body);
  } catch (err) {
    expect(err).toBeInstanceOf(IngestError);
    expect((err as IngestError).status).toBe(400);
    return (err as IngestError).issues.map((i) => `${i.path}: ${i.message}`);
  }
  throw new Error('expected the body to be refused');
}

describe('generic webhook alerts', () => {
  it('normalizes a minimal alert with every default', () => {
    expect(normalize({ name: 'disk-full' })).toStrictEqual({
      alerts: [
        {
          source: 'webhook',
          name: 'disk-full',
          fingerprint: webhookFingerprint('disk-full', undefined, {}),
          status: 'firing',
          service: null,
          severity: 'P3',
          labels: { alertname: 'disk-full', severity: 'P3' },
          annotations: {},
          startsAt: clock.now(),
          endsAt: null,
          title: 'disk-full',
        },
      ],
    });
  });

  it('normalizes a full alert', () => {
    const body = {
      name: 'disk-full',
      service: 'db',
      severity: 'critical',
      status: 'resolved',
      labels: { host: 'db-1', mount: '/var' },
      started_at: '2026-01-15T13:30:00+02:00',
      title: 'Disk /var on db-1 is 98% full',
      description: 'Rotate the logs.',
      fingerprint: 'db-1-var',
    };
    expect(normalize(body).alerts[0]).toStrictEqual({
      source: 'webhook',
      name: 'disk-full',
      fingerprint: 'db-1-var',
      status: 'resolved',
      service: 'db',
      severity: 'P1',
      labels: { host: 'db-1', mount: '/var', alertname: 'disk-full', service: 'db', severity: 'P1' },
      annotations: { summary: 'Disk /var on db-1 is 98% full', description: 'Rotate the logs.' },
      startsAt: Date.UTC(2026, 0, 15, 11, 30, 0),
      endsAt: clock.now(),
      title: 'Disk /var on db-1 is 98% full',
      description: 'Rotate the logs.',
    });
  });

  it('maps severities: P1–P4 as they are, critical/error/warning/info onto P1–P4', () => {
    const sev = (severity: string) => normalize({ name: 'x', severity }).alerts[0]!.severity;
    expect(['P1', 'P2', 'P3', 'P4', 'critical', 'error', 'warning', 'info'].map(sev)).toEqual(['P1', 'P2', 'P3', 'P4', 'P1', 'P2', 'P3', 'P4']);
  });

  it('refuses an unknown severity with the allowed values', () => {
    expect(issuesOf({ name: 'x', severity: 'urgent' })).toEqual([
      'severity: expected one of "P1", "P2", "P3", "P4", "critical", "error", "warning", "info", got "urgent"',
    ]);
  });

  it('takes the service from labels when no service field is given', () => {
    expect(normalize({ name: 'x', labels: { service: 'api' } }).alerts[0]!.service).toBe('api');
  });

  it('accepts an array of alerts', () => {
    const out = normalize([{ name: 'a' }, { name: 'b', status: 'resolved' }]);
    expect(out.alerts.map((a) => [a.name, a.status])).toEqual([
      ['a', 'firing'],
      ['b', 'resolved'],
    ]);
  });

  it('fingerprints by name, service and labels, independent of label order, severity, status and time', () => {
    const a = normalize({ name: 'x', service: 's', labels: { b: '2', a: '1' }, severity: 'P1' }).alerts[0]!;
    const b = normalize({ name: 'x', service: 's', labels: { a: '1', b: '2' }, severity: 'P4', status: 'resolved', started_at: '2020-01-01T00:00:00Z' }).alerts[0]!;
    expect(a.fingerprint).toBe(b.fingerprint);
    // The documented recipe.
    const expected = createHash('sha256').update(JSON.stringify(['x', 's', [['a', '1'], ['b', '2']]])).digest('hex').slice(0, 32);
    expect(a.fingerprint).toBe(expected);
    expect(normalize({ name: 'x', service: 't', labels: { a: '1', b: '2' } }).alerts[0]!.fingerprint).not.toBe(expected);
    expect(normalize({ name: 'x', service: 's', labels: { a: '1', b: '3' } }).alerts[0]!.fingerprint).not.toBe(expected);
    expect(normalize({ name: 'y', service: 's', labels: { a: '1', b: '2' } }).alerts[0]!.fingerprint).not.toBe(expected);
  });

  it('refuses unknown keys with a did-you-mean hint', () => {
    expect(issuesOf({ name: 'x', sevrity: 'P1' })).toEqual([
      ': unknown field "sevrity" (did you mean "severity"?); allowed fields: name, service, severity, status, labels, started_at, title, description, fingerprint',
    ]);
    expect(issuesOf([{ name: 'x' }, { name: 'y', startedAt: '2026-01-01T00:00:00Z' }])[0]).toMatch(/^\[1\]: unknown field "startedAt" \(did you mean "started_at"\?\)/);
    expect(issuesOf({ name: 'x', zzz: 1 })[0]).toMatch(/^: unknown field "zzz"; allowed fields/);
  });

  it('names missing and wrongly typed fields', () => {
    expect(issuesOf({ service: 'x' })).toEqual(['name: required field missing (expected string)']);
    expect(issuesOf({ name: 42 })).toEqual(['name: expected string, got 42']);
    expect(issuesOf({ name: '' })).toEqual(['name: must not be empty']);
    expect(issuesOf({ name: 'x', labels: { a: 1 } })).toEqual(['labels.a: expected string, got 1']);
    expect(issuesOf({ name: 'x', labels: ['a'] })).toEqual(['labels: expected object, got an array']);
    expect(issuesOf({ name: 'x', status: 'open' })).toEqual(['status: expected one of "firing", "resolved", got "open"']);
    expect(issuesOf([{ name: 'a' }, { name: 'b', service: 7 }])).toEqual(['[1].service: expected string, got 7']);
  });

  it('refuses bad dates, including times without a UTC offset', () => {
    for (const bad of ['2026-01-15T12:00:00', 'now', '2026-02-29T00:00:00Z', 1768478400000]) {
      expect(issuesOf({ name: 'x', started_at: bad })[0]).toMatch(/^started_at: expected (an ISO 8601 timestamp with a UTC offset|string)/);
    }
  });

  it('refuses a body that is neither an alert nor an array of alerts', () => {
    expect(issuesOf('disk-full')).toEqual([': expected an alert object or an array of alert objects, got "disk-full"']);
    expect(issuesOf(null)).toEqual([': expected an alert object or an array of alert objects, got null']);
    expect(issuesOf([])).toEqual([': expected at least one alert']);
    expect(issuesOf(['x'])).toEqual(['[0]: expected object, got "x"']);
  });

  it('limits the number of alerts; labels are bounded at ingest like every source\'s, not refused', () => {
    expect(issuesOf(Array.from({ length: MAX_WEBHOOK_ALERTS + 1 }, () => ({ name: 'x' })))).toEqual([`: at most ${MAX_WEBHOOK_ALERTS} alerts per request`]);
    expect(normalize(Array.from({ length: MAX_WEBHOOK_ALERTS }, () => ({ name: 'x' }))).alerts).toHaveLength(MAX_WEBHOOK_ALERTS);
    const many = Object.fromEntries(Array.from({ length: ALERT_LIMITS.labels + 1 }, (_, i) => [`l${i}`, 'v'.repeat(ALERT_LIMITS.labelValueLength + 1)]));
    expect(normalize({ name: 'x', labels: many }).alerts[0]!.labels).toMatchObject(many);
    expect(issuesOf({ name: 'x', labels: { '': 'v' } })).toEqual(['labels.: label names must not be empty']);
  });

  it('exports a body schema the routes can turn into OpenAPI', () => {
    const schema = z.toJSONSchema(webhookBody, { io: 'input' }) as { anyOf: { type: string; additionalProperties?: boolean }[] };
    expect(schema.anyOf.map((s) => s.type)).toEqual(['object', 'array']);
    expect(schema.anyOf[0]!.additionalProperties).toBe(false);
  });
});
