import { describe, expect, it } from 'vitest';
import { IngestError, normalizePagerDuty, pagerDutyError, pagerDutyResponse } from '../../../src/detect/ingest/index.js';
import { ManualClock } from '../../../src/shared/clock.js';

const clock = new ManualClock(Date.UTC(2026, 0, 15, 12, 0, 0));
const normalize = (body: unknown) => normalizePagerDuty(body, { clock, newDedupKey: () => 'generated-key' });
const ROUTING_KEY = 'R0UT1NGKEY0000000000000000000000';

/** The example trigger event of PagerDuty's Events API v2 documentation. */
const trigger = () => ({
  routing_key: ROUTING_KEY,
  event_action: 'trigger',
  dedup_key: 'srv01/mysql',
  payload: {
    summary: 'DISK at 99% on machine prod-datapipe03.example.com',
    timestamp: '2015-07-17T08:42:58.315+0000',
    severity: 'critical',
    source: 'prod-datapipe03.example.com',
    component: 'mysql',
    group: 'prod-datapipe',
    class: 'disk',
    custom_details: { free_space: '1%', ping_time: '1500ms' },
  },
  links: [{ href: 'https://example.com/', text: 'Link text' }],
  images: [{ src: 'https://example.com/graph.png', href: 'https://example.com/', alt: 'graph' }],
  client: 'Sample Monitoring Service',
  client_url: 'https://monitoring.service.com',
});

function issuesOf(body: unknown): string[] {
  try {
    normalize(body);
  } catch (err) {
    expect(err).toBeInstanceOf(IngestError);
    return (err as IngestError).issues.map((i) => `${i.path}: ${i.message}`);
  }
  throw new Error('expected the body to be refused');
}

describe('PagerDuty Events API v2', () => {
  it('normalizes a trigger event', () => {
    const out = normalize(trigger());
    expect(out).toStrictEqual({
      alert: {
        source: 'pagerduty',
        name: 'DISK at 99% on machine prod-datapipe03.example.com',
        fingerprint: 'srv01/mysql',
        status: 'firing',
        service: 'prod-datapipe03.example.com',
        severity: 'P1',
        labels: {
          alertname: 'DISK at 99% on machine prod-datapipe03.example.com',
          service: 'prod-datapipe03.example.com',
          severity: 'P1',
          component: 'mysql',
          group: 'prod-datapipe',
          class: 'disk',
        },
        annotations: {
          summary: 'DISK at 99% on machine prod-datapipe03.example.com',
          description: JSON.stringify({ free_space: '1%', ping_time: '1500ms' }, null, 2),
        },
        startsAt: Date.UTC(2015, 6, 17, 8, 42, 58, 315),
        endsAt: null,
        title: 'DISK at 99% on machine prod-datapipe03.example.com',
        description: JSON.stringify({ free_space: '1%', ping_time: '1500ms' }, null, 2),
        generatorUrl: 'https://monitoring.service.com',
      },
      dedupKey: 'srv01/mysql',
      routingKey: ROUTING_KEY,
      response: { status: 'success', message: 'Event processed', dedup_key: 'srv01/mysql' },
    });
    expect(pagerDutyResponse.parse(out.response)).toEqual(out.response);
  });

  it('never copies the routing key into the alert', () => {
    expect(JSON.stringify(normalize(trigger()).alert)).not.toContain(ROUTING_KEY);
  });

  it('generates a dedup_key for a trigger without one and returns it', () => {
    const body = trigger() as Record<string, unknown>;
    delete body.dedup_key;
    const out = normalize(body);
    expect(out.dedupKey).toBe('generated-key');
    expect(out.alert.fingerprint).toBe('generated-key');
    expect(out.response.dedup_key).toBe('generated-key');
    // By default, a fresh one each time, as PagerDuty does.
    const a = normalizePagerDuty(body).dedupKey;
    const b = normalizePagerDuty(body).dedupKey;
    expect(a).toMatch(/^[0-9a-f]{32}$/);
    expect(a).not.toBe(b);
  });

  it('maps acknowledge and resolve events, which carry only the dedup_key', () => {
    const ack = normalize({ routing_key: ROUTING_KEY, event_action: 'acknowledge', dedup_key: 'srv01/mysql' });
    expect(ack.alert).toMatchObject({ status: 'acknowledged', fingerprint: 'srv01/mysql', endsAt: null, startsAt: clock.now() });
    const resolve = normalize({ routing_key: ROUTING_KEY, event_action: 'resolve', dedup_key: 'srv01/mysql' });
    expect(resolve.alert).toMatchObject({ status: 'resolved', fingerprint: 'srv01/mysql', endsAt: clock.now() });
    expect(resolve.response).toEqual({ status: 'success', message: 'Event processed', dedup_key: 'srv01/mysql' });
  });

  it('refuses an empty summary or source, which PagerDuty requires', () => {
    const body = trigger();
    expect(issuesOf({ ...body, payload: { ...body.payload, summary: '', source: '' } })).toEqual(['payload.summary: must not be empty', 'payload.source: must not be empty']);
  });

  it('maps PagerDuty severities onto P1–P4', () => {
    const sev = (severity: string) => normalize({ ...trigger(), payload: { ...trigger().payload, severity } }).alert.severity;
    expect(['critical', 'error', 'warning', 'info'].map(sev)).toEqual(['P1', 'P2', 'P3', 'P4']);
  });

  it('requires the payload for a trigger and the dedup_key for acknowledge and resolve', () => {
    expect(issuesOf({ routing_key: ROUTING_KEY, event_action: 'trigger' })).toEqual([
      'payload: required field missing for event_action "trigger" (expected object with summary, source, severity)',
    ]);
    expect(issuesOf({ routing_key: ROUTING_KEY, event_action: 'resolve' })).toEqual([
      'dedup_key: required field missing for event_action "resolve": it names the alert to resolve',
    ]);
    expect(issuesOf({ routing_key: ROUTING_KEY, event_action: 'acknowledge' })[0]).toMatch(/^dedup_key: required field missing/);
  });

  it('names missing and wrongly typed fields', () => {
    const { routing_key: _r, ...noKey } = trigger();
    expect(issuesOf(noKey)).toEqual(['routing_key: required field missing (expected string)']);
    expect(issuesOf({ ...trigger(), event_action: 'escalate' })).toEqual(['event_action: expected one of "trigger", "acknowledge", "resolve", got "escalate"']);
    const { summary: _s, ...noSummary } = trigger().payload;
    expect(issuesOf({ ...trigger(), payload: noSummary })).toEqual(['payload.summary: required field missing (expected string)']);
    expect(issuesOf({ ...trigger(), payload: { ...trigger().payload, severity: 'P1' } })).toEqual([
      'payload.severity: expected one of "critical", "error", "warning", "info", got "P1"',
    ]);
    expect(issuesOf({ ...trigger(), payload: { ...trigger().payload, source: 5 } })).toEqual(['payload.source: expected string, got 5']);
    expect(issuesOf({ ...trigger(), dedup_key: 'k'.repeat(256) })[0]).toMatch(/^dedup_key: /);
  });

  it('refuses bad timestamps', () => {
    expect(issuesOf({ ...trigger(), payload: { ...trigger().payload, timestamp: '17/07/2015' } })).toEqual([
      'payload.timestamp: expected an ISO 8601 timestamp with a UTC offset, such as "2026-01-31T12:00:00Z", got "17/07/2015"',
    ]);
  });

  it('refuses a body that is not an object', () => {
    expect(issuesOf('trigger')).toEqual([': expected object, got "trigger"']);
    expect(issuesOf([trigger()])).toEqual([': expected object, got an array']);
  });

  it('answers an invalid event the way PagerDuty does', () => {
    try {
      normalize({ routing_key: ROUTING_KEY, event_action: 'resolve' });
    } catch (err) {
      expect(pagerDutyError(err as IngestError)).toEqual({
        status: 'invalid event',
        message: 'Event object is invalid',
        errors: ['dedup_key: required field missing for event_action "resolve": it names the alert to resolve'],
      });
      return;
    }
    throw new Error('expected the event to be refused');
  });
});
