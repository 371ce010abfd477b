import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { acknowledge, type IncidentEvent } from '../../src/incidents/index.js';
import { ESCALATE_JOB, escalationHandler, PAGE_JOB } from '../../src/notify/oncall/index.js';
import { openHarness, type AutomationHarness } from '../helpers/automation.js';
import { alert, T0 } from '../helpers/incidents.js';
import { ENGINES } from '../helpers/stores.js';
import { startSink, type Sink } from '../notify/sink.js';
import { startSmtpSink, type SmtpSink } from '../notify/smtp-sink.js';

const MIN = 60_000;

/** People, a weekly rotation (alice is on call at T0), and a policy with two levels, ten minutes apart. */
function config(sink: Sink, smtp: SmtpSink, policy: { page: string; repeat?: number }, extra = ''): string {
  return `
server: { public_url: "https://medic.example.com" }
notifications:
  - { name: pager-mail, type: email, smtp: "smtp://127.0.0.1:${smtp.port}", from: "medic@example.com", to: ops@example.com }
  - { name: ops-hook, type: webhook, url: "${sink.url}/ops" }
people:
  - { name: alice, email: alice@example.com, webhook: "${sink.url}/alice" }
  - { name: bob, email: bob@example.com }
  - { name: carol, webhook: "${sink.url}/carol" }
oncall:
  schedules:
    - { name: primary, timezone: Europe/Berlin, rotation: { start: "2026-11-23T09:00", every: 1w, people: [alice, bob] } }
  escalation_policies:
    - name: payments
      page: ${policy.page}
      levels:
        - { notify: [schedule:primary] }
        - { after: 10m, notify: [person:carol, channel:ops-hook] }
      repeat: ${policy.repeat ?? 0}
services:
  - { name: payment, escalation: payments }
${extra}`;
}

const pages = (timeline: IncidentEvent[]) =>
  timeline.filter((e) => e.type === 'paged').map((e) => `${String(e.payload.round)}.${String(e.payload.level)} ${String(e.payload.person ?? e.payload.channel)} ${String(e.payload.contact)}`);
const hooks = (sink: Sink) => sink.received.map((r) => r.path);

describe.each(ENGINES)('escalation on %s', (engine) => {
  let sink: Sink;
  let smtp: SmtpSink;
  let h: AutomationHarness | undefined;
  beforeAll(async () => {
    sink = await startSink();
    smtp = await startSmtpSink();
  });
  afterAll(async () => {
    await sink.close();
    await smtp.close();
  });
  afterEach(async () => {
    await h?.close();
    h = undefined;
    sink.received.length = 0;
    smtp.mails.length = 0;
    sink.respond((_r, res) => res.writeHead(200).end('ok'));
  });

  it('page immediately: level 1, no ack, level 2 after `after`, the levels again, then escalation_exhausted', async () => {
    h = await openHarness(engine, config(sink, smtp, { page: 'immediately', repeat: 1 }));
    const id = await h.ingest([alert()]);
    await h.runDue();
    expect(pages(await h.timeline(id))).toEqual(['1.1 alice email', '1.1 alice webhook']);
    // Delivered to the real SMTP server and webhook receiver, through the existing channels.
    expect(smtp.mails.map((m) => m.to)).toEqual([['alice@example.com']]);
    expect(smtp.mails[0]!.from).toBe('medic@example.com');
    expect(smtp.mails[0]!.raw).toMatch(/needs you/);
    expect(hooks(sink)).toEqual(['/alice']);
    const body = sink.received[0]!.json as { event: string; incident: { title: string; service: string; severity: string }; details: string[] };
    expect(body.event).toBe('paged');
    expect(body.incident).toMatchObject({ service: 'payment', severity: 'P2' });
    expect(body.details[0]).toMatch(/^Paged: level 1 of payments, alice — the incident opened/);
    expect(body.details.at(-1)).toMatch(/^Acknowledge \(works once, for 1h\): https:\/\/medic\.example\.com\/ack\/\d+\.\d+\.\d+\.[A-Za-z0-9_-]{43}$/);
    const sent = (await h.timeline(id)).filter((e) => e.type === 'notification_sent');
    expect(sent.map((e) => e.payload.channel).sort()).toEqual(['alice (email)', 'alice (webhook)']);

    h.clock.advance(10 * MIN - 1);
    await h.runDue();
    expect(pages(await h.timeline(id))).toHaveLength(2);
    h.clock.advance(1);
    await h.runDue();
    expect(pages(await h.timeline(id)).slice(2)).toEqual(['1.2 carol webhook', '1.2 ops-hook channel']);
    expect(hooks(sink).slice(1).sort()).toEqual(['/carol', '/ops']);

    // Round 2 starts the round gap (the last level's 10 min) after level 2.
    h.clock.advance(10 * MIN);
    await h.runDue();
    h.clock.advance(10 * MIN);
    await h.runDue();
    expect(pages(await h.timeline(id)).slice(4)).toEqual(['2.1 alice email', '2.1 alice webhook', '2.2 carol webhook', '2.2 ops-hook channel']);
    expect(await h.types(id)).not.toContain('escalation_exhausted');
    h.clock.advance(10 * MIN);
    await h.runDue();
    const exhausted = (await h.timeline(id)).filter((e) => e.type === 'escalation_exhausted');
    expect(exhausted).toHaveLength(1);
    expect(exhausted[0]!.payload).toMatchObject({ policy: 'payments', rounds: 2, levels: 2 });
    expect(exhausted[0]!.at).toBe(T0 + 40 * MIN);
    h.clock.advance(60 * MIN);
    await h.runDue();
    expect(pages(await h.timeline(id))).toHaveLength(8);
    expect(smtp.mails).toHaveLength(2);
    expect(hooks(sink)).toHaveLength(6);
    const jobs = await h.core.queue.list(h.core.rt.store.db, { kind: ESCALATE_JOB });
    expect(jobs.map((j) => j.status)).toEqual(['done']);
  });

  it('acknowledging stops it: nothing more is paged, and a page still queued is not sent', async () => {
    h = await openHarness(engine, config(sink, smtp, { page: 'immediately', repeat: 2 }));
    const id = await h.ingest([alert()]);
    await h.runDue({ kinds: [ESCALATE_JOB] }); // level 1 decided; its deliveries not yet run
    await acknowledge(h.core.incidents, id, 'alice');
    await h.runDue();
    h.clock.advance(60 * MIN);
    await h.runDue();
    expect(pages(await h.timeline(id))).toEqual(['1.1 alice email', '1.1 alice webhook']);
    expect(smtp.mails).toHaveLength(0);
    expect(sink.received).toHaveLength(0);
    expect(await h.types(id)).not.toContain('escalation_exhausted');
    expect((await h.core.queue.list(h.core.rt.store.db, { kind: PAGE_JOB })).map((j) => j.status)).toEqual(['done', 'done']);
  });

  it('an automatic fix that verifies stops it', async () => {
    h = await openHarness(
      engine,
      config(sink, smtp, { page: 'immediately', repeat: 1 }, `remediation:\n  - alert: HighErrorRate\n    action: { type: webhook, url: "${sink.url}/fix" }\n`),
    );
    const id = await h.ingest([alert()]);
    await h.runDue({ kinds: [ESCALATE_JOB, PAGE_JOB] }); // level 1 first, then the fix
    await h.runDue();
    const types = await h.types(id);
    expect(types).toContain('verified'); // nothing to watch: the fix is taken as verified, the incident closes
    expect(pages(await h.timeline(id))).toEqual(['1.1 alice email', '1.1 alice webhook']);
    h.clock.advance(60 * MIN);
    await h.runDue();
    expect(pages(await h.timeline(id))).toHaveLength(2);
    expect(hooks(sink).filter((p) => p !== '/fix')).toEqual(['/alice']);
  });

  it('on_escalation pages nobody for an incident remediation fixes', async () => {
    h = await openHarness(engine, config(sink, smtp, { page: 'on_escalation' }, `remediation:\n  - alert: HighErrorRate\n    action: { type: webhook, url: "${sink.url}/fix" }\n`));
    const id = await h.ingest([alert()]);
    await h.runDue();
    h.clock.advance(60 * MIN);
    await h.runDue();
    expect(await h.types(id)).toContain('verified');
    expect(pages(await h.timeline(id))).toEqual([]);
    expect(hooks(sink)).toEqual(['/fix']);
    expect(smtp.mails).toHaveLength(0);
  });

  it('on_escalation pages once remediation runs out of attempts, with the reason', async () => {
    sink.respond((r, res) => res.writeHead(r.path === '/fix' ? 500 : 200).end());
    h = await openHarness(engine, config(sink, smtp, { page: 'on_escalation' }, `remediation:\n  - alert: HighErrorRate\n    action: { type: webhook, url: "${sink.url}/fix", max_auto_attempts: 1 }\n`));
    const id = await h.ingest([alert()]);
    await h.runDue();
    const timeline = await h.timeline(id);
    const escalated = timeline.findIndex((e) => e.type === 'escalated');
    const firstPage = timeline.findIndex((e) => e.type === 'paged');
    expect(escalated).toBeGreaterThan(-1);
    expect(firstPage).toBeGreaterThan(escalated);
    expect(pages(timeline)).toEqual(['1.1 alice email', '1.1 alice webhook']);
    expect((sink.received.find((r) => r.path === '/alice')!.json as { details: string[] }).details[0]).toMatch(/made 1 of 1 automatic attempt/);
  });

  it('on_escalation pages when an approval waits', async () => {
    h = await openHarness(engine, config(sink, smtp, { page: 'on_escalation' }, `remediation:\n  - alert: HighErrorRate\n    action: { type: webhook, url: "${sink.url}/fix", require_approval: true }\n`));
    const id = await h.ingest([alert()]);
    await h.runDue();
    expect(await h.types(id)).toContain('approval_requested');
    expect(pages(await h.timeline(id))).toEqual(['1.1 alice email', '1.1 alice webhook']);
    expect((sink.received.find((r) => r.path === '/alice')!.json as { details: string[] }).details[0]).toMatch(/waits for approval/);
  });

  it('on_escalation with no rule matched pages after the runbook report is in, and the page carries it', async () => {
    h = await openHarness(
      engine,
      config(sink, smtp, { page: 'on_escalation' }, `runbooks:\n  - { name: payment-diagnostics, match: { service: payment }, steps: [{ name: pods, run: 'echo "2/3 pods ready"' }] }\n`),
    );
    const id = await h.ingest([alert()]);
    await h.runDue();
    const timeline = await h.timeline(id);
    const report = timeline.findIndex((e) => e.type === 'runbook_finished');
    expect(report).toBeGreaterThan(-1);
    expect(timeline.findIndex((e) => e.type === 'paged')).toBeGreaterThan(report);
    const details = (sink.received.find((r) => r.path === '/alice')!.json as { details: string[] }).details;
    expect(details[0]).toMatch(/no remediation rule matched/);
    expect(details.join('\n')).toMatch(/Diagnosis \(payment-diagnostics\): 1 step\(s\) ok, 0 failed\n[\s\S]*2\/3 pods ready/);
  });

  it('a restart in the middle loses no page and repeats none', async () => {
    h = await openHarness(engine, config(sink, smtp, { page: 'immediately' }));
    const id = await h.ingest([alert()]);
    // Level 1 is decided and the process stops before its pages are delivered.
    await h.runDue({ kinds: [ESCALATE_JOB] });
    await h.restart();
    await h.runDue();
    expect(smtp.mails).toHaveLength(1);
    expect(hooks(sink)).toEqual(['/alice']);

    // Level 2's time comes; the handler pages and the worker dies before the job is put back: its lease
    // expires, another worker runs the job again, finds level 2 paged and does not page it twice.
    h.clock.advance(10 * MIN);
    const [claimed] = await h.core.queue.claim(h.core.rt.store.db, { owner: 'dying', now: h.clock.now(), leaseMs: 5000, limit: 1, kinds: [ESCALATE_JOB] });
    await escalationHandler({ incidents: h.core.incidents, queue: h.core.queue, config: h.core.rt.loaded.config, logger: h.core.rt.logger })(claimed!, { signal: new AbortController().signal, owner: 'dying' });
    await h.restart();
    h.clock.advance(6000);
    await h.runDue();
    expect(pages(await h.timeline(id))).toEqual(['1.1 alice email', '1.1 alice webhook', '1.2 carol webhook', '1.2 ops-hook channel']);
    expect(hooks(sink).sort()).toEqual(['/alice', '/carol', '/ops']);
    h.clock.advance(60 * MIN);
    await h.runDue();
    expect(pages(await h.timeline(id))).toHaveLength(4);
    expect((await h.timeline(id)).filter((e) => e.type === 'escalation_exhausted')).toHaveLength(1);
    expect(smtp.mails).toHaveLength(1);
  });

  it('a level that reaches nobody says so and the escalation goes on', async () => {
    h = await openHarness(engine, config(sink, smtp, { page: 'immediately' }).replace('start: "2026-11-23T09:00"', 'start: "2027-01-04T09:00"'));
    const id = await h.ingest([alert()]);
    await h.runDue();
    const note = (await h.timeline(id)).find((e) => e.type === 'note')!;
    expect(note.payload.text).toBe('escalation payments, level 1: nobody is on call for schedule:primary');
    h.clock.advance(10 * MIN);
    await h.runDue();
    expect(pages(await h.timeline(id))).toEqual(['1.2 carol webhook', '1.2 ops-hook channel']);
  });
});
