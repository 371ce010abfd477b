import { createHmac } from 'node:crypto';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { channel, Redactor, type ChannelConfig } from '../../src/config/index.js';
import { sendNotification } from '../../src/notify/index.js';
import { incidentRow, message } from './fixtures.js';
import { context, startSink, type Sink } from './sink.js';

const cfg = (c: unknown): ChannelConfig => channel.parse(c);
const STARTED_S = Math.floor(Date.UTC(2026, 0, 15, 12, 0, 0) / 1000);
const TEXT = '[P1] Incident #12 opened: payment_error_rate > 5% for 5 minutes (payment-service)';
const URL_12 = 'https://medic.example.com/incidents/12';

let sink: Sink;
beforeAll(async () => {
  sink = await startSink();
});
afterAll(() => sink.close());
beforeEach(() => {
  sink.received.length = 0;
  sink.respond((_req, res) => res.writeHead(200, { 'content-type': 'text/plain' }).end('ok'));
});

function commonHeaders(headers: Record<string, unknown>) {
  expect(headers['content-type']).toBe('application/json; charset=utf-8');
  expect(headers['user-agent']).toBe('Medic');
}

describe('slack channel', () => {
  it('posts a Block Kit message to the incoming webhook', async () => {
    const config = cfg({ name: '#payments', type: 'slack', webhook_url: `${sink.url}/services/T000/B000/XXXXXXXXXXXXXXXXXXXXXXXX`, channel: '#payments', username: 'Medic' });
    const result = await sendNotification(config, message(), context());
    expect(result).toEqual({ outcome: 'ok', status: 200 });
    expect(sink.received).toHaveLength(1);
    const req = sink.received[0]!;
    expect([req.method, req.path]).toEqual(['POST', '/services/T000/B000/XXXXXXXXXXXXXXXXXXXXXXXX']);
    commonHeaders(req.headers);
    expect(req.json).toStrictEqual({
      text: '[P1] Incident #12 opened: payment_error_rate &gt; 5% for 5 minutes (payment-service)',
      blocks: [
        { type: 'header', text: { type: 'plain_text', text: '🔴 P1 · payment_error_rate &gt; 5% for 5 minutes', emoji: true } },
        {
          type: 'section',
          text: { type: 'mrkdwn', text: '[P1] Incident #12 opened: payment_error_rate &gt; 5% for 5 minutes (payment-service)' },
          fields: [
            { type: 'mrkdwn', text: '*Service*\npayment-service' },
            { type: 'mrkdwn', text: '*Status*\nopen' },
            { type: 'mrkdwn', text: `*Started*\n<!date^${STARTED_S}^{date_short_pretty} {time}|2026-01-15 12:00 UTC>` },
          ],
        },
        { type: 'context', elements: [{ type: 'mrkdwn', text: 'Medic · incident #12 · opened · detect 2m' }] },
        {
          type: 'actions',
          elements: [{ type: 'button', action_id: 'medic_open_incident', text: { type: 'plain_text', text: 'Open incident' }, url: URL_12, style: 'danger' }],
        },
      ],
      channel: '#payments',
      username: 'Medic',
    });
  });

  it('adds the cause and details, and no button without a link', async () => {
    const config = cfg({ name: 's', type: 'slack', webhook_url: `${sink.url}/hook` });
    const m = message({ event: 'remediation_finished', baseUrl: undefined, details: ['Restarted payment-service: 3/3 pods ready'] });
    m.incident.cause = 'pods <crashlooping>';
    await sendNotification(config, m, context());
    const blocks = (sink.received[0]!.json as { blocks: { type: string; text?: { text: string } }[] }).blocks;
    expect(blocks.map((b) => b.type)).toEqual(['header', 'section', 'section', 'context']);
    expect(blocks[2]!.text!.text).toBe('*Cause:* pods &lt;crashlooping&gt;\nRestarted payment-service: 3/3 pods ready');
    expect(blocks[0]!.text!.text).toBe('🛠️ P1 · payment_error_rate &gt; 5% for 5 minutes');
  });

  it('escapes &, < and > in every field, the fallback text included, so alert text cannot mention anyone', async () => {
    const config = cfg({ name: 's', type: 'slack', webhook_url: `${sink.url}/hook`, username: 'Medic <bot>' });
    const m = message({
      incident: incidentRow({ title: '<!channel> checkout down & <@U024BE7LH>', service: '<!here>', cause: 'see <https://evil.example|the fix>' }),
      details: ['<!subteam^S012345> paged & <#C024BE7LR>'],
    });
    await sendNotification(config, m, context());
    const body = sink.received[0]!.json as { text: string; blocks: unknown[]; username: string };
    expect(body.text).toBe('[P1] Incident #12 opened: &lt;!channel&gt; checkout down &amp; &lt;@U024BE7LH&gt; (&lt;!here&gt;)');
    expect(body.username).toBe('Medic &lt;bot&gt;');
    // Every text Slack shows, wherever it sits in the payload: none keeps a raw < or > but Medic's own
    // date token, and none is escaped twice.
    const texts: string[] = [];
    const walk = (v: unknown, key = ''): void => {
      if (typeof v === 'string') {
        if (key !== 'url') texts.push(v);
      } else if (Array.isArray(v)) v.forEach((x) => walk(x));
      else if (v && typeof v === 'object') for (const [k, x] of Object.entries(v)) walk(x, k);
    };
    walk(body);
    expect(texts.join('\n')).toContain('&lt;!channel&gt;');
    for (const t of texts) {
      expect(t.replace(/<!date\^\d+\^\{date_short_pretty\} \{time\}\|[^<>]*>/g, '')).not.toMatch(/[<>]/);
      expect(t).not.toContain('&amp;lt;');
      expect(t.replace(/&(amp|lt|gt);/g, '')).not.toContain('&');
    }
    const header = (body.blocks[0] as { text: { text: string } }).text.text;
    expect(header).toBe('🔴 P1 · &lt;!channel&gt; checkout down &amp; &lt;@U024BE7LH&gt;');
  });

  it('cuts long escaped text without leaving half an entity', async () => {
    const config = cfg({ name: 's', type: 'slack', webhook_url: `${sink.url}/hook` });
    // The header limit (150) falls inside an escaped "&": the cut must not leave "&am".
    const m = message({ incident: incidentRow({ title: `${'x'.repeat(138)}&&&&&&&&` }) });
    await sendNotification(config, m, context());
    const header = ((sink.received[0]!.json as { blocks: { text: { text: string } }[] }).blocks[0]!.text.text);
    expect(header.length).toBeLessThanOrEqual(150);
    expect(header.endsWith('…')).toBe(true);
    expect(header.slice(0, -1).replace(/&amp;/g, '')).not.toContain('&');
  });
});

describe('msteams channel', () => {
  it('posts an Adaptive Card in the message envelope', async () => {
    sink.respond((_req, res) => res.writeHead(202).end());
    const config = cfg({ name: 'teams', type: 'msteams', webhook_url: `${sink.url}/workflows/abc/triggers/manual/paths/invoke?sig=SIGNATURE0123456789` });
    const result = await sendNotification(config, message(), context());
    expect(result).toEqual({ outcome: 'ok', status: 202 });
    const req = sink.received[0]!;
    expect([req.method, req.path]).toEqual(['POST', '/workflows/abc/triggers/manual/paths/invoke?sig=SIGNATURE0123456789']);
    commonHeaders(req.headers);
    expect(req.json).toStrictEqual({
      type: 'message',
      summary: TEXT,
      attachments: [
        {
          contentType: 'application/vnd.microsoft.card.adaptive',
          contentUrl: null,
          content: {
            $schema: 'http://adaptivecards.io/schemas/adaptive-card.json',
            type: 'AdaptiveCard',
            version: '1.4',
            body: [
              { type: 'Container', style: 'attention', bleed: true, items: [{ type: 'TextBlock', text: '🔴 P1 · payment_error_rate > 5% for 5 minutes', size: 'Large', weight: 'Bolder', wrap: true }] },
              { type: 'TextBlock', text: TEXT, wrap: true },
              {
                type: 'FactSet',
                facts: [
                  { title: 'Service', value: 'payment-service' },
                  { title: 'Severity', value: 'P1 (critical)' },
                  { title: 'Status', value: 'open' },
                  { title: 'Started', value: '2026-01-15 12:00 UTC' },
                ],
              },
              { type: 'TextBlock', text: 'Medic · incident #12 · opened · detect 2m', isSubtle: true, size: 'Small', wrap: true },
            ],
            msteams: { width: 'Full' },
            actions: [{ type: 'Action.OpenUrl', title: 'Open incident', url: URL_12 }],
          },
        },
      ],
    });
  });
});

describe('webhook channel', () => {
  it('posts the message, signed with HMAC-SHA256 of the exact body, with event, delivery and configured headers', async () => {
    const secret = 'whsec-0123456789';
    const config = cfg({ name: 'audit', type: 'webhook', url: `${sink.url}/medic/events`, secret, headers: { Authorization: 'Bearer tok-0123456789', 'X-Team': 'payments', 'X-Medic-Event': 'forged' } });
    const m = message();
    const result = await sendNotification(config, m, context());
    expect(result).toEqual({ outcome: 'ok', status: 200 });
    const req = sink.received[0]!;
    expect([req.method, req.path]).toEqual(['POST', '/medic/events']);
    commonHeaders(req.headers);
    expect(req.headers['x-medic-event']).toBe('opened');
    expect(req.headers['x-medic-delivery']).toBe('12-40-0123456789abcdef');
    expect(req.headers.authorization).toBe('Bearer tok-0123456789');
    expect(req.headers['x-team']).toBe('payments');
    const expected = `sha256=${createHmac('sha256', secret).update(req.raw).digest('hex')}`;
    expect(req.headers['x-medic-signature']).toBe(expected);
    expect(req.json).toStrictEqual({ version: 1, ...JSON.parse(JSON.stringify(m)) });
    // A body changed by one byte no longer verifies.
    const tampered = Buffer.concat([req.raw, Buffer.from(' ')]);
    expect(`sha256=${createHmac('sha256', secret).update(tampered).digest('hex')}`).not.toBe(req.headers['x-medic-signature']);
  });

  it('sends no signature without a secret', async () => {
    await sendNotification(cfg({ name: 'audit', type: 'webhook', url: `${sink.url}/plain` }), message(), context());
    expect(sink.received[0]!.headers['x-medic-signature']).toBeUndefined();
    expect(sink.received[0]!.headers['x-medic-delivery']).toBe('12-40-0123456789abcdef');
  });

  it('signs non-ASCII bodies over their UTF-8 bytes', async () => {
    const m = message();
    m.incident.title = 'Zahlungsfehler über 5 % — 支付';
    await sendNotification(cfg({ name: 'audit', type: 'webhook', url: `${sink.url}/u`, secret: 'k-0123456789' }), m, context());
    const req = sink.received[0]!;
    expect(req.headers['x-medic-signature']).toBe(`sha256=${createHmac('sha256', 'k-0123456789').update(req.raw).digest('hex')}`);
    expect((req.json as { incident: { title: string } }).incident.title).toBe('Zahlungsfehler über 5 % — 支付');
  });

  it('redacts known secrets from the message before sending it', async () => {
    const m = message({ details: ['ran with DB_PASSWORD=hunter2-password'] });
    await sendNotification(cfg({ name: 'audit', type: 'webhook', url: `${sink.url}/r` }), m, context({ redactor: new Redactor(['hunter2-password']) }));
    const raw = sink.received[0]!.raw.toString();
    expect(raw).not.toContain('hunter2-password');
    expect((sink.received[0]!.json as { details: string[] }).details).toEqual(['ran with DB_PASSWORD=[REDACTED]']);
  });
});

describe('pagerduty channel', () => {
  const pdConfig = () => cfg({ name: 'oncall', type: 'pagerduty', routing_key: 'R0UT1NGKEY0000000000000000000000', url: `${sink.url}/v2/enqueue` });
  beforeEach(() => {
    sink.respond((req, res) =>
      res.writeHead(202, { 'content-type': 'application/json' }).end(JSON.stringify({ status: 'success', message: 'Event processed', dedup_key: (req.json as { dedup_key: string }).dedup_key })),
    );
  });

  it('triggers an alert keyed by the incident when it opens', async () => {
    const result = await sendNotification(pdConfig(), message(), context());
    expect(result).toEqual({ outcome: 'ok', status: 202, reference: 'medic-incident-12' });
    const req = sink.received[0]!;
    expect([req.method, req.path]).toEqual(['POST', '/v2/enqueue']);
    commonHeaders(req.headers);
    expect(req.json).toStrictEqual({
      routing_key: 'R0UT1NGKEY0000000000000000000000',
      event_action: 'trigger',
      dedup_key: 'medic-incident-12',
      payload: {
        summary: 'payment_error_rate > 5% for 5 minutes',
        source: 'payment-service',
        severity: 'critical',
        timestamp: '2026-01-15T12:00:00.000Z',
        component: 'payment-service',
        class: 'PaymentErrorRate',
        custom_details: {
          incident_id: 12,
          status: 'open',
          event: 'opened',
          text: TEXT,
          labels: { alertname: 'PaymentErrorRate', service: 'payment-service', severity: 'P1' },
          url: URL_12,
        },
      },
      client: 'Medic',
      client_url: URL_12,
      links: [{ href: URL_12, text: 'Medic incident #12' }],
    });
  });

  it('acknowledges and resolves with the same key, and skips events PagerDuty has no action for', async () => {
    await sendNotification(pdConfig(), message({ event: 'acknowledged' }), context());
    await sendNotification(pdConfig(), message({ event: 'escalated' }), context());
    await sendNotification(pdConfig(), message({ event: 'resolved' }), context());
    await sendNotification(pdConfig(), message({ event: 'verified' }), context());
    expect(await sendNotification(pdConfig(), message({ event: 'remediation_finished' }), context())).toEqual({ outcome: 'ok', status: null, skipped: true });
    expect(await sendNotification(pdConfig(), message({ event: 'degraded' }), context())).toEqual({ outcome: 'ok', status: null, skipped: true });
    const sent = sink.received.map((r) => r.json as { event_action: string; dedup_key: string; payload?: unknown });
    expect(sent.map((s) => [s.event_action, s.dedup_key, s.payload === undefined])).toEqual([
      ['acknowledge', 'medic-incident-12', true],
      ['trigger', 'medic-incident-12', false],
      ['resolve', 'medic-incident-12', true],
      ['resolve', 'medic-incident-12', true],
    ]);
  });

  it('maps severities onto PagerDuty\'s', async () => {
    for (const severity of ['P2', 'P3', 'P4']) {
      const m = message();
      m.incident.severity = severity as 'P2';
      await sendNotification(pdConfig(), m, context());
    }
    expect(sink.received.map((r) => (r.json as { payload: { severity: string } }).payload.severity)).toEqual(['error', 'warning', 'info']);
  });

  it('treats PagerDuty\'s 400 "invalid event" as permanent, without the routing key in the reason', async () => {
    sink.respond((_req, res) =>
      res.writeHead(400, { 'content-type': 'application/json' }).end(JSON.stringify({ status: 'invalid event', message: 'Event object is invalid', errors: ['Invalid routing key R0UT1NGKEY0000000000000000000000'] })),
    );
    const result = await sendNotification(pdConfig(), message(), context());
    expect(result.outcome).toBe('permanent');
    expect(result.status).toBe(400);
    expect(result.outcome !== 'ok' && result.reason).toBe('HTTP 400: {"status":"invalid event","message":"Event object is invalid","errors":["Invalid routing key [REDACTED]"]}');
  });
});
