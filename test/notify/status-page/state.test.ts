import { describe, expect, it } from 'vitest';
import type { IncidentInput, RollupRow, StatusInput } from '../../../src/notify/status-page/index.js';
import { computeStatusPage, publicTimeline } from '../../../src/notify/status-page/index.js';
import { readEventBody, type EventLike, type EventType } from '../../../src/incidents/index.js';

/** The status page as a pure function of hand-made roll-ups, monitor states and incidents. */

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const NOW = Date.UTC(2026, 10, 27, 12, 30);
const TODAY = Date.UTC(2026, 10, 27);
const page = { title: 'Shop status', services: ['storefront', 'checkout', 'payment-service'], history: 3 * DAY, show_automatic_updates: true };

function input(over: Partial<StatusInput> = {}): StatusInput {
  return { page, now: NOW, monitors: [], rollups: [], incidents: [], ...over };
}

/** `runs` hourly runs of which `up` passed and `degraded` passed slowly, starting at `hour`. */
const roll = (service: string, hour: number, runs: number, up: number, degraded = 0): RollupRow => ({ service, hour, runs, up, degraded });

function incident(over: Partial<IncidentInput> = {}): IncidentInput {
  return { id: 1, severity: 'P2', status: 'open', startedAt: NOW - 10 * 60_000, detectedAt: NOW - 9 * 60_000, resolvedAt: null, closedAt: null, services: ['checkout'], events: [{ type: 'opened', at: NOW - 9 * 60_000, payload: {} }], ...over };
}

describe('computeStatusPage', () => {
  it('sums hourly roll-ups into a bar per UTC day, with the uptime and a level per day', () => {
    const result = computeStatusPage(
      input({
        rollups: [
          // Two days ago: 1000 runs, one failed (99.9%: still operational).
          roll('checkout', TODAY - 2 * DAY + 3 * HOUR, 600, 600),
          roll('checkout', TODAY - 2 * DAY + 4 * HOUR, 400, 399),
          // Yesterday: 98 of 100 passed, 10 of them slowly (degraded runs passed their assertions).
          roll('checkout', TODAY - DAY + 23 * HOUR, 100, 88, 10),
          // Today: 9 of 10.
          roll('checkout', TODAY + 11 * HOUR, 10, 9),
          // Outside the window, and a service that is not listed: both ignored.
          roll('checkout', TODAY - 3 * DAY, 50, 0),
          roll('internal-db', TODAY, 50, 0),
        ],
      }),
    );
    const checkout = result.services.find((s) => s.name === 'checkout')!;
    expect(checkout.days).toEqual([
      { date: '2026-11-25', uptime: 0.999, incidents: 0, level: 'operational' },
      { date: '2026-11-26', uptime: 0.98, incidents: 0, level: 'partial_outage' },
      { date: '2026-11-27', uptime: 0.9, incidents: 0, level: 'major_outage' },
    ]);
    expect(checkout.uptime).toBeCloseTo((999 + 98 + 9) / 1110, 10);
    expect(result.services.map((s) => s.name)).toEqual(['storefront', 'checkout', 'payment-service']);
    expect(result.services[0]!.days.map((d) => d.level)).toEqual(['no_data', 'no_data', 'no_data']);
    expect(result.services[0]!.uptime).toBeNull();
  });

  it('takes each service\'s state from its monitors, and the whole page\'s from its services', () => {
    const monitors = [
      { service: 'storefront', status: 'up' },
      { service: 'storefront', status: 'pending' },
      { service: 'checkout', status: 'down' },
      { service: 'checkout', status: 'up' },
      { service: 'payment-service', status: 'degraded' },
      { service: 'internal-db', status: 'down' },
    ];
    const result = computeStatusPage(input({ monitors }));
    expect(result.services.map((s) => [s.name, s.state])).toEqual([
      ['storefront', 'operational'],
      ['checkout', 'partial_outage'],
      ['payment-service', 'degraded'],
    ]);
    expect(result.state).toBe('partial_outage');
    expect(computeStatusPage(input({ monitors: [{ service: 'payment-service', status: 'degraded' }] })).state).toBe('degraded');
    expect(computeStatusPage(input({ monitors: [] })).state).toBe('operational');
    // Major outage only when every listed service is out.
    const allDown = page.services.map((service) => ({ service, status: 'down' }));
    expect(computeStatusPage(input({ monitors: allDown })).state).toBe('major_outage');
    expect(computeStatusPage(input({ monitors: allDown.slice(1) })).state).toBe('partial_outage');
  });

  it('an active incident weighs on its services as its severity says until its fix is applied; its days get at least degraded', () => {
    const p1 = incident({ severity: 'P1', services: ['checkout', 'internal-db'] });
    const result = computeStatusPage(input({ incidents: [p1], rollups: [roll('checkout', TODAY, 100, 100)] }));
    expect(result.services.find((s) => s.name === 'checkout')!.state).toBe('major_outage');
    expect(result.state).toBe('partial_outage');
    expect(result.active_incidents).toHaveLength(1);
    // Only the listed services are named: internal-db does not exist on the page.
    expect(result.active_incidents[0]).toMatchObject({ id: 1, title: 'Major outage: checkout', impact: 'major_outage', status: 'investigating', active: true, services: ['checkout'] });
    expect(result.services.find((s) => s.name === 'checkout')!.days.at(-1)).toEqual({ date: '2026-11-27', uptime: 1, incidents: 1, level: 'degraded' });

    const fixed = incident({ severity: 'P1', resolvedAt: NOW - 60_000, status: 'verifying' });
    expect(computeStatusPage(input({ incidents: [fixed] })).services.find((s) => s.name === 'checkout')!.state).toBe('operational');
  });

  it('an incident of no listed service does not exist on the page', () => {
    const result = computeStatusPage(input({ incidents: [incident({ services: ['internal-db'] })] }));
    expect(result.active_incidents).toEqual([]);
    expect(result.services.every((s) => s.days.every((d) => d.incidents === 0))).toBe(true);
  });

  it('lists incidents resolved within 14 days as recent, newest first, and counts them on the days they spanned', () => {
    const closed = (id: number, daysAgo: number) =>
      incident({ id, status: 'closed', startedAt: NOW - daysAgo * DAY - HOUR, detectedAt: NOW - daysAgo * DAY - HOUR, resolvedAt: NOW - daysAgo * DAY, closedAt: NOW - daysAgo * DAY, events: [] });
    const result = computeStatusPage(input({ incidents: [closed(1, 20), closed(2, 1), closed(3, 13)] }));
    expect(result.recent_incidents.map((i) => [i.id, i.status, i.active])).toEqual([
      [2, 'resolved', false],
      [3, 'resolved', false],
    ]);
    expect(result.recent_incidents[0]!.resolved_at).toBe(new Date(NOW - DAY).toISOString());
    expect(result.services.find((s) => s.name === 'checkout')!.days.map((d) => d.incidents)).toEqual([0, 1, 0]);
  });

  it('orders active incidents worst first, and their updates newest first', () => {
    const result = computeStatusPage(
      input({
        incidents: [
          incident({ id: 1, severity: 'P3' }),
          incident({
            id: 2,
            severity: 'P2',
            events: [
              { type: 'opened', at: NOW - 5000, payload: {} },
              { type: 'public_update', at: NOW - 4000, payload: { status: 'identified', message: 'A bad deploy.', by: 'responder' } },
            ],
          }),
        ],
      }),
    );
    expect(result.active_incidents.map((i) => i.id)).toEqual([2, 1]);
    expect(result.active_incidents[0]!.updates.map((u) => [u.status, u.automatic])).toEqual([
      ['identified', false],
      ['investigating', true],
    ]);
  });
});

describe('publicTimeline: automatic updates follow the phases, words are never taken from the events', () => {
  const ev = (type: EventType, at: number, payload: Record<string, unknown> = {}): EventLike => ({ ...readEventBody(type, payload), at });
  const events = [
    ev('opened', 1),
    ev('cause_identified', 2, { cause: 'the db password hunter2 expired' }),
    ev('remediation_finished', 3, { ok: true, fix: true, output: 'restarted pod payment-7f9' }),
    ev('verification_started', 4),
    ev('verification_failed', 5, { reason: 'error rate 12%' }),
    ev('public_update', 6, { status: 'identified', message: 'We are rolling back.', by: 'responder' }),
    ev('resolved', 7),
    ev('verified', 8, { message: 'error rate 0.1% for 5m' }),
  ];

  it('investigating → identified → monitoring → (fix failed) identified → monitoring → resolved, with written ones in between', () => {
    const { updates, status } = publicTimeline(events, true);
    expect(updates.map((u) => [u.at, u.status, u.automatic])).toEqual([
      [1, 'investigating', true],
      [2, 'identified', true],
      [3, 'monitoring', true],
      [5, 'identified', true],
      [6, 'identified', false],
      [7, 'monitoring', true],
      [8, 'resolved', true],
    ]);
    expect(status).toBe('resolved');
    const text = JSON.stringify(updates);
    for (const secret of ['hunter2', 'payment-7f9', '12%', '0.1%']) expect(text).not.toContain(secret);
  });

  it('without automatic updates only written ones are shown and set the status', () => {
    expect(publicTimeline(events, false)).toEqual({ updates: [{ status: 'identified', message: 'We are rolling back.', at: 6, automatic: false }], status: 'identified' });
    expect(publicTimeline([ev('opened', 1)], false)).toEqual({ updates: [], status: null });
  });

  it('a cause written after the fix is not "identified"; a reopened incident is investigated again', () => {
    const after = publicTimeline([ev('opened', 1), ev('resolved', 2), ev('cause_identified', 3), ev('reopened', 4)], true);
    expect(after.updates.map((u) => u.status)).toEqual(['investigating', 'monitoring', 'investigating']);
    expect(after.updates.at(-1)!.message).toMatch(/back/);
  });
});
