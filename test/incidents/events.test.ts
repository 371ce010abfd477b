import { sql } from 'kysely';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  appendToIncident,
  describeEvent,
  EVENT_DESCRIBERS,
  EVENT_TYPES,
  FIX_FLAG_TYPES,
  formatIncidentDetails,
  getIncident,
  getTimeline,
  incidentDetails,
  ingestAlerts,
  InvalidEventError,
  type EventType,
  type NewEvent,
} from '../../src/incidents/index.js';
import { EVENT_SAMPLES } from '../helpers/event-samples.js';
import { alert, incidentContext, T0 } from '../helpers/incidents.js';
import { ENGINES, openTestStore, type TestStore } from '../helpers/stores.js';

/** What each sample reads as: the one line the CLI, postmortems, notifications and the web UI show. */
const DESCRIBED: { [T in EventType]: string } = {
  opened: 'incident opened (alertmanager alert HighErrorRate)',
  alert_fired: 'alert HighErrorRate fired: Error rate above 5%',
  alert_resolved: 'alert HighErrorRate resolved (1 still firing)',
  check_recovered: 'check recovered: login at eu',
  acknowledged: 'acknowledged',
  runbook_started: 'runbook payment-diagnostics started',
  runbook_step_finished: 'runbook step errors: failed in 2s',
  runbook_finished: 'runbook payment-diagnostics finished',
  cause_identified: 'cause identified: connection pool exhausted',
  remediation_matched: 'remediation rule restart-payment matched',
  remediation_started: 'remediation restart-payment started (attempt 1)',
  remediation_finished: 'remediation restart-payment succeeded',
  approval_requested: 'approval requested for restart-payment',
  approved: 'approved restart-payment: go ahead',
  rejected: 'rejected restart-payment: not during the sale',
  approval_expired: 'approval for restart-payment expired',
  escalated: 'escalated: restart-payment made 2 of 2 automatic attempts',
  flag_changed: 'flag new_checkout_flow switched off (the fix) — kill switch',
  deployment_correlated: 'suspect: deployment of payment v2.4.1, 11 min before impact',
  rolled_back: 'rollback of payment failed: the rollback command failed',
  symptom_joined: 'symptom on checkout (CheckoutLatency) joined: it depends on payment',
  resolved: 'resolved: the alert source says resolved',
  verification_started: 'verification started (watching monitors, error rate)',
  verification_progress: 'verifying: monitor login: 2/3 runs passed since the fix; error rate: unknown (HTTP 503) — not healthy, 1m of the 5m window',
  verified: '✓ payment is healthy (Monitors: 1/1 passing). Recovery confirmed.',
  verification_failed: 'verification failed: ✗ payment did not recover within 5m',
  reopened: 'reopened: it fired again soon after closing',
  note: "note: Alert HighErrorRate was over Medic's limits: 3 labels dropped",
  public_update: 'public update (identified): We found the cause and are rolling back.',
  notification_sent: 'notified #payments (opened)',
  notification_failed: 'could not notify pager: HTTP 503',
  paged: 'paged alice (email), level 1 of payments',
  escalation_exhausted: 'escalation payments ran out: nobody acknowledged after 6 pages of payments',
};

const sample = <T extends EventType>(type: T) => ({ type, actor: 'system', payload: EVENT_SAMPLES[type] }) as NewEvent;

describe('the event describer', () => {
  it('has one describer per event type, and each sample reads as its line', () => {
    expect(Object.keys(EVENT_DESCRIBERS).sort()).toEqual([...EVENT_TYPES].sort());
    for (const type of EVENT_TYPES) expect([type, describeEvent({ type, actor: 'system', payload: EVENT_SAMPLES[type] } as Parameters<typeof describeEvent>[0])]).toEqual([type, DESCRIBED[type]]);
  });

  it('no longer knows the two types nothing ever emitted', () => {
    expect(EVENT_TYPES).not.toContain('check_failed');
    expect(EVENT_TYPES).not.toContain('alert_suppressed');
  });

  it('knows which types can carry fix: true from their schemas (the scans of verification and the status page)', () => {
    expect(FIX_FLAG_TYPES).toEqual(['remediation_finished', 'flag_changed', 'rolled_back']);
  });
});

describe.each(ENGINES)('timeline events on %s', (engine) => {
  let t: TestStore;
  beforeEach(async () => {
    t = await openTestStore(engine);
  });
  afterEach(async () => t?.cleanup());

  async function openIncident(secrets: string[] = []) {
    const { ctx } = incidentContext(t.store, '', { secrets });
    const [r] = await ingestAlerts(ctx, [alert()], 'alertmanager');
    return { ctx, id: r!.incidentId! };
  }
  const count = async () => Number((await t.store.db.selectFrom('incident_events').select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow()).n);

  it('refuses an event whose payload is not what its type carries, and stores nothing of the batch', async () => {
    const { ctx, id } = await openIncident();
    const before = { events: await count(), incident: await getIncident(t.store.db, id) };
    const bad = [
      { type: 'note', actor: 'alice', payload: { text: 'looking' } },
      { type: 'cause_identified', actor: 'alice', payload: { cause: 42 } },
    ] as unknown as NewEvent[];
    const refused = appendToIncident(ctx, id, bad);
    await expect(refused).rejects.toBeInstanceOf(InvalidEventError);
    await expect(appendToIncident(ctx, id, bad)).rejects.toThrow(/^cause_identified event refused: payload\.cause: .*expected string, received number$/);
    await expect(appendToIncident(ctx, id, [{ type: 'note', actor: 'alice', payload: {} } as NewEvent])).rejects.toThrow(/^note event refused: payload\.text: /);
    await expect(appendToIncident(ctx, id, [{ type: 'check_failed', actor: 'x', payload: {} } as unknown as NewEvent])).rejects.toThrow('unknown event type "check_failed"');
    expect(await count()).toBe(before.events);
    expect(await getIncident(t.store.db, id)).toEqual(before.incident);
  });

  it('stores every event type and reads it back as it was appended', async () => {
    const { ctx, id } = await openIncident();
    const { events } = (await appendToIncident(ctx, id, EVENT_TYPES.map(sample)))!;
    expect(events.map((e) => e.type)).toEqual(EVENT_TYPES);
    const timeline = (await getTimeline(t.store.db, id)).filter((e) => events.some((n) => n.id === e.id));
    expect(timeline.map((e) => [e.type, e.payload])).toEqual(EVENT_TYPES.map((type) => [type, EVENT_SAMPLES[type]]));
  });

  it('keeps only what a type declares, and stores it redacted', async () => {
    const { ctx, id } = await openIncident(['hunter2-password']);
    const stray = { text: 'token hunter2-password leaked', color: 'red' };
    await appendToIncident(ctx, id, [{ type: 'note', actor: 'bob', payload: stray } as NewEvent]);
    const stored = await t.store.db.selectFrom('incident_events').select('payload').where('type', '=', 'note').executeTakeFirstOrThrow();
    expect(JSON.parse(stored.payload)).toEqual({ text: 'token [REDACTED] leaked' });
  });

  it('reads and describes events stored in older shapes', async () => {
    const { ctx, id } = await openIncident();
    const insert = (type: string, payload: string) =>
      sql`INSERT INTO incident_events (incident_id, at, actor, type, payload, created_at) VALUES (${id}, ${T0 + 1000}, ${'system'}, ${type}, ${payload}, ${T0 + 1000})`.execute(t.store.db);
    // verification_progress before it had a summary (the evaluation's short line only).
    await insert('verification_progress', '{"line":"Monitors: 0/1 passing (login: down)","healthy":false,"evaluation":1,"monitors":[{"name":"login","state":"failing","status":"down"}]}');
    // A payload that matches no schema of today, and rows with no payload object at all.
    await insert('note', '{"text":17,"by":"someone"}');
    await insert('resolved', 'null');
    await insert('acknowledged', '');

    const timeline = await getTimeline(t.store.db, id);
    const progress = timeline.find((e) => e.type === 'verification_progress')!;
    expect(progress.payload).toEqual({ line: 'Monitors: 0/1 passing (login: down)', healthy: false, evaluation: 1, monitors: [{ name: 'login', state: 'failing', status: 'down' }] });
    expect(timeline.find((e) => e.type === 'note')!.payload).toEqual({ text: 17, by: 'someone' });
    const show = formatIncidentDetails((await incidentDetails(t.store.db, ctx, id))!);
    expect(show).toMatch(/system\s+verifying: Monitors: 0\/1 passing \(login: down\)\n/);
    expect(show).toMatch(/system\s+note: 17\n/);
    expect(show).toMatch(/system\s+resolved\n/);
    expect(show).toMatch(/system\s+acknowledged$/);
  });
});
