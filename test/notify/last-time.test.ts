import { afterEach, describe, expect, it } from 'vitest';
import { loadConfigText } from '../../src/config/index.js';
import { getTimeline, ingestAlerts, insertIncident, resolveIncident, type SimilarIncident } from '../../src/incidents/index.js';
import { emailHtml, emailText } from '../../src/notify/channels/email.js';
import { teamsBody } from '../../src/notify/channels/msteams.js';
import { pagerDutyBody } from '../../src/notify/channels/pagerduty.js';
import { slackBody } from '../../src/notify/channels/slack.js';
import { lastTimeLine } from '../../src/notify/last-time.js';
import { openRuntime } from '../../src/runtime/bootstrap.js';
import { buildCore } from '../../src/runtime/core.js';
import { JobRunner } from '../../src/runtime/job-runner.js';
import { silentLogger } from '../../src/shared/logger.js';
import { alert, incidentRow, T0 } from '../helpers/incidents.js';
import { ENGINES, testDatabaseUrl } from '../helpers/stores.js';
import { message } from './fixtures.js';
import { startSink } from './sink.js';

const DAY = 86_400_000;
const similar = (over: Partial<SimilarIncident>): SimilarIncident => ({
  id: 7,
  title: 'HighErrorRate',
  startedAt: Date.UTC(2026, 10, 20, 9, 30),
  mttrMs: 14 * 60_000,
  phases: { detect_ms: null, diagnose_ms: null, resolve_ms: null, verify_ms: null, mttr_ms: 14 * 60_000 },
  cause: null,
  fix: null,
  postmortem: null,
  ...over,
});

describe('the last-time line', () => {
  it('tells the closest earlier incident that recorded a cause or a fix, in one line', () => {
    expect(lastTimeLine([])).toBeUndefined();
    expect(lastTimeLine([similar({ id: 9 }), similar({ cause: 'connection pool\nexhausted', fix: 'kubernetes_rollout_restart (remediation restart-payment)' })])).toBe(
      'Last time (#7, 2026-11-20, MTTR 14m): cause: connection pool exhausted; fixed by: kubernetes_rollout_restart (remediation restart-payment)',
    );
    expect(lastTimeLine([similar({ fix: 'raised the pool size', mttrMs: null })])).toBe('Last time (#7, 2026-11-20): fixed by: raised the pool size');
    expect(lastTimeLine([similar({ id: 3 })])).toBe('Last time (#3, 2026-11-20, MTTR 14m): no cause or fix was recorded');
    expect(lastTimeLine([similar({ cause: 'x'.repeat(500) })])!.length).toBeLessThan(260);
  });

  it('comes right after the first line on every channel, escaped for each', () => {
    const m = message({ lastTime: 'Last time (#7, 2026-11-20, MTTR 14m): cause: pool <!channel> & friends; fixed by: <b>restart</b>' });
    const slack = slackBody({ type: 'slack', name: 's', webhook_url: 'https://hooks.slack.com/services/T/B/X' } as never, m) as { blocks: { text?: { text: string } }[] };
    expect(slack.blocks[1]!.text!.text).toBe(`${m.text.replace('>', '&gt;')}\nLast time (#7, 2026-11-20, MTTR 14m): cause: pool &lt;!channel&gt; &amp; friends; fixed by: &lt;b&gt;restart&lt;/b&gt;`);
    const teams = teamsBody(m) as { attachments: { content: { body: { text?: string }[] } }[] };
    expect(teams.attachments[0]!.content.body.slice(1, 3).map((b) => b.text)).toEqual([m.text, m.lastTime]);
    expect(emailText(m).split('\n').slice(0, 2)).toEqual([m.text, m.lastTime]);
    expect(emailHtml(m)).toContain(`</strong></p><p>Last time (#7, 2026-11-20, MTTR 14m): cause: pool &lt;!channel&gt; &amp; friends; fixed by: &lt;b&gt;restart&lt;/b&gt;</p><table>`);
    const pd = pagerDutyBody({ type: 'pagerduty', name: 'p', routing_key: 'k' } as never, m) as { payload: { custom_details: Record<string, unknown> } };
    expect(pd.payload.custom_details.last_time).toBe(m.lastTime);
    // Without one, nothing changes.
    expect(emailText(message()).split('\n')[1]).toBe('');
  });
});

describe.each(ENGINES)("an incident's first notification on %s", (engine) => {
  const cleanups: (() => Promise<void>)[] = [];
  afterEach(async () => {
    for (const c of cleanups.splice(0).reverse()) await c();
  });

  it('says what the cause and fix were last time; later notifications do not', async () => {
    const sink = await startSink();
    cleanups.push(() => sink.close());
    const { url, drop } = testDatabaseUrl(engine);
    const loaded = loadConfigText(`notifications:\n  - { name: ops, type: slack, webhook_url: "${sink.url}/services/T0/B0/secret-token-123456" }\nroutes:\n  - { notify: [ops] }\nstorage: { url: "${url}" }\n`, { env: {} });
    const rt = await openRuntime(loaded, { logger: silentLogger, applyConfig: true });
    const core = await buildCore(rt);
    const runner = new JobRunner({ store: rt.store, queue: core.queue, handlers: core.handlers, clock: rt.clock, logger: silentLogger, leaseMs: 2000, concurrency: 2, pollMs: 20 });
    runner.start();
    cleanups.push(async () => {
      await runner.stop(500);
      await rt.store.close();
      await drop();
    });
    // Last week's HighErrorRate on payment, fixed by hand.
    const earlier = (await insertIncident(rt.store.db, incidentRow({
      fingerprint: 'fp-last-week',
      title: 'HighErrorRate',
      severity: 'P2',
      status: 'resolved',
      cause: 'connection pool <exhausted>',
      started_at: T0 - 7 * DAY,
      detected_at: T0 - 7 * DAY,
      resolved_at: T0 - 7 * DAY + 20 * 60_000,
      mttr_ms: 20 * 60_000,
      created_at: T0 - 7 * DAY,
      updated_at: T0 - 7 * DAY,
    })))!.id;
    await rt.store.db.insertInto('incident_events').values({ incident_id: earlier, at: T0 - 7 * DAY, actor: 'alice', type: 'resolved', payload: JSON.stringify({ note: 'raised the pool size to 50' }), created_at: T0 - 7 * DAY }).execute();

    const [opened] = await ingestAlerts(core.incidents, [alert({ name: 'HighErrorRate', service: 'payment' })], 'test');
    const id = opened!.incidentId!;
    await resolveIncident(core.incidents, id, 'restarted', 'bob');
    const sent = async () => (await getTimeline(rt.store.db, id)).filter((e) => e.type === 'notification_sent').length;
    const until = Date.now() + 10_000;
    while (sink.received.length < 2 || (await sent()) < 2) {
      if (Date.now() > until) throw new Error('timed out');
      await new Promise((r) => setTimeout(r, 20));
    }
    const texts = sink.received.map((r) => (r.json as { blocks: { text?: { text: string } }[] }).blocks[1]!.text!.text);
    const first = texts.find((t) => t.includes(`#${id} opened`));
    const later = texts.find((t) => t.includes(`#${id} resolved`));
    expect(first!.split('\n')[1]).toBe(`Last time (#${earlier}, 2026-11-20, MTTR 20m): cause: connection pool &lt;exhausted&gt;; fixed by: raised the pool size to 50`);
    expect(later).not.toContain('Last time');
  });
});
