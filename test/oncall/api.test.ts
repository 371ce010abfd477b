import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import ICAL from 'ical.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.js';
import { openTestApp, type TestApp } from '../helpers/app.js';
import { ONCALL_EXAMPLE } from './fixtures.js';

const utc = (iso: string) => Date.parse(iso);

describe('GET /api/oncall and the iCalendar feed', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await openTestApp({ config: ONCALL_EXAMPLE });
    t.clock.set(utc('2026-12-23T12:00:00Z'));
  });
  afterAll(async () => t?.close());

  it('answers who is on call now and next, per schedule and per policy', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/api/oncall', headers: t.as('viewer') });
    expect(res.statusCode).toBe(200);
    const body = res.json();
    expect(body.at).toBe(utc('2026-12-23T12:00:00Z'));
    expect(body.schedules).toEqual([
      {
        name: 'payments-primary',
        timezone: 'Europe/Berlin',
        current: { person: 'bob', start: utc('2026-12-21T08:00:00Z'), end: utc('2026-12-24T17:00:00Z'), override: false },
        next: { person: 'carol', start: utc('2026-12-24T17:00:00Z'), end: utc('2026-12-27T08:00:00Z'), override: true },
        upcoming: [
          { person: 'bob', start: utc('2026-12-21T08:00:00Z'), end: utc('2026-12-24T17:00:00Z'), override: false },
          { person: 'carol', start: utc('2026-12-24T17:00:00Z'), end: utc('2026-12-27T08:00:00Z'), override: true },
          { person: 'bob', start: utc('2026-12-27T08:00:00Z'), end: utc('2026-12-28T08:00:00Z'), override: false },
          { person: 'alice', start: utc('2026-12-28T08:00:00Z'), end: utc('2027-01-04T08:00:00Z'), override: false },
          { person: 'bob', start: utc('2027-01-04T08:00:00Z'), end: utc('2027-01-11T08:00:00Z'), override: false },
        ],
      },
    ]);
    expect(body.policies[0]).toMatchObject({
      name: 'payments',
      page: 'on_escalation',
      repeat: 2,
      services: ['payment-service'],
      levels: [
        { level: 1, afterMs: 0, targets: [{ target: 'schedule:payments-primary', person: 'bob' }] },
        { level: 2, afterMs: 600_000, targets: [{ target: 'person:carol', person: 'carol' }, { target: 'channel:payments-slack', person: null }] },
      ],
    });
  });

  it('takes ?at= and ?schedule=, and refuses what it cannot read', async () => {
    const at = await t.app.inject({ method: 'GET', url: '/api/oncall?at=2026-12-25T12:00:00Z', headers: t.as('viewer') });
    expect(at.json().schedules[0].current).toMatchObject({ person: 'carol', override: true });
    expect((await t.app.inject({ method: 'GET', url: '/api/oncall?schedule=nope', headers: t.as('viewer') })).statusCode).toBe(404);
    const bad = await t.app.inject({ method: 'GET', url: '/api/oncall?at=soon', headers: t.as('viewer') });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().message).toMatch(/^at: expected/);
  });

  it('serves the next 90 days of shifts as iCalendar that a real parser reads', async () => {
    const res = await t.app.inject({ method: 'GET', url: `/api/oncall/schedules/payments-primary.ics?token=${t.tokens.viewer}` });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toMatch(/^text\/calendar/);
    const calendar = new ICAL.Component(ICAL.parse(res.body));
    const events = calendar.getAllSubcomponents('vevent').map((c) => new ICAL.Event(c));
    const rows = events.map((e) => [e.summary, e.startDate.toJSDate().toISOString(), e.endDate.toJSDate().toISOString()]);
    expect(rows.slice(0, 4)).toEqual([
      ['On call: bob (payments-primary)', '2026-12-21T08:00:00.000Z', '2026-12-24T17:00:00.000Z'],
      ['On call: carol (payments-primary)', '2026-12-24T17:00:00.000Z', '2026-12-27T08:00:00.000Z'],
      ['On call: bob (payments-primary)', '2026-12-27T08:00:00.000Z', '2026-12-28T08:00:00.000Z'],
      ['On call: alice (payments-primary)', '2026-12-28T08:00:00.000Z', '2027-01-04T08:00:00.000Z'],
    ]);
    // 90 days of weekly shifts, the last one reaching past the horizon; every UID distinct.
    expect(events.at(-1)!.endDate.toJSDate().getTime()).toBeGreaterThanOrEqual(utc('2026-12-23T12:00:00Z') + 90 * 86_400_000);
    expect(events.length).toBeGreaterThanOrEqual(13);
    expect(new Set(events.map((e) => e.uid)).size).toBe(events.length);
    // The last shift starts before the horizon: nothing past 90 days.
    expect(events.at(-1)!.startDate.toJSDate().getTime()).toBeLessThan(utc('2026-12-23T12:00:00Z') + 90 * 86_400_000);
  });

  it('takes the token in the query for the feed only, and needs the viewer role', async () => {
    expect((await t.app.inject({ method: 'GET', url: `/api/oncall?token=${t.tokens.viewer}` })).statusCode).toBe(401);
    expect((await t.app.inject({ method: 'GET', url: '/api/oncall/schedules/payments-primary.ics' })).statusCode).toBe(401);
    expect((await t.app.inject({ method: 'GET', url: '/api/oncall/schedules/payments-primary.ics?token=nope' })).statusCode).toBe(401);
    expect((await t.app.inject({ method: 'GET', url: '/api/oncall/schedules/nope.ics', headers: t.as('viewer') })).statusCode).toBe(404);
    expect(t.app.accessTable).toContainEqual({ method: 'GET', url: '/api/oncall/schedules/:name.ics', access: 'viewer' });
  });
});

describe('medic oncall', () => {
  const file = path.join(mkdtempSync(path.join(tmpdir(), 'medic-oncall-')), 'medic.yaml');
  writeFileSync(file, ONCALL_EXAMPLE);

  it('prints who is on call then and next, per schedule and policy', async () => {
    const r = await runCli(['oncall', '--at', '2026-12-23T12:00:00Z', '-c', file]);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('payments-primary\n    now   bob, until 2026-12-24 18:00 Europe/Berlin\n    next  carol (override), from 2026-12-24 18:00 Europe/Berlin until 2026-12-27 09:00 Europe/Berlin');
    expect(r.stdout).toContain('payments (page on escalation, repeat 2×; payment-service)\n    1. schedule:payments-primary → bob\n    2. after 10m: person:carol, channel:payments-slack');
  });

  it('prints JSON, filters by schedule, and refuses an unknown one', async () => {
    const r = await runCli(['oncall', '--json', '--schedule', 'payments-primary', '--at', '2026-12-25T00:00:00Z', '-c', file]);
    expect(JSON.parse(r.stdout).schedules[0].current.person).toBe('carol');
    const bad = await runCli(['oncall', '--schedule', 'nope', '-c', file]);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/no schedule "nope"; configured: payments-primary/);
  });
});
