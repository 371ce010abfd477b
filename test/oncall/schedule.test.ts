import { describe, expect, it } from 'vitest';
import { loadConfigText, type ScheduleConfig } from '../../src/config/index.js';
import { currentAndNext, onCallAt, shiftsBetween } from '../../src/notify/oncall/schedule.js';

/** A schedule as the config loader parses it. */
function schedule(timezone: string, start: string, every: string, people: string[], overrides: { person: string; from: string; to: string }[] = []): ScheduleConfig {
  const names = [...new Set([...people, ...overrides.map((o) => o.person)])];
  const { config } = loadConfigText(
    JSON.stringify({ people: names.map((name) => ({ name, webhook: 'http://127.0.0.1:9/x' })), oncall: { schedules: [{ name: 's', timezone, rotation: { start, every, people }, overrides }] } }),
    { env: {} },
  );
  return config.oncall.schedules[0]!;
}

const utc = (iso: string) => Date.parse(iso);

describe('who is on call: a table of instants', () => {
  // Europe/Berlin: CET (+01:00) in winter, CEST (+02:00) from the last Sunday of March (2027-03-28,
  // 02:00 → 03:00) to the last Sunday of October (2026-10-25, 03:00 → 02:00).
  const weekly = schedule('Europe/Berlin', '2026-10-19T09:00', '1w', ['alice', 'bob']);
  const daily = schedule('Europe/Berlin', '2027-03-26T09:00', '1d', ['alice', 'bob', 'carol']);
  const halfDays = schedule('Europe/Berlin', '2026-10-24T09:00', '12h', ['alice', 'bob']);
  // America/New_York: EDT (−04:00) until 2026-11-01 02:00, then EST (−05:00).
  const newYork = schedule('America/New_York', '2026-10-30T09:00', '1d', ['dana', 'eve']);

  const table: [string, ScheduleConfig, string, string | undefined][] = [
    ['before the rotation starts', weekly, '2026-10-19T06:59:59Z', undefined],
    ['first shift begins 09:00 CEST (07:00 UTC)', weekly, '2026-10-19T07:00:00Z', 'alice'],
    ['still alice a second before the 09:00 CET handoff after the October change', weekly, '2026-10-26T07:59:59Z', 'alice'],
    ['bob from 09:00 CET = 08:00 UTC (not 07:00: the handoff stays 09:00 local)', weekly, '2026-10-26T08:00:00Z', 'bob'],
    ['the week after: alice again', weekly, '2026-11-02T08:00:00Z', 'alice'],
    ['daily: carol from 09:00 CET on Saturday', daily, '2027-03-28T07:59:59Z', 'carol'],
    ['daily: over the March change, alice from 09:00 CEST = 07:00 UTC', daily, '2027-03-29T07:00:00Z', 'alice'],
    ['daily: one second before it, still carol (that shift was 23 h)', daily, '2027-03-29T06:59:59Z', 'carol'],
    ['12h: 21:00 CEST handoff on Saturday → bob', halfDays, '2026-10-24T19:00:00Z', 'bob'],
    ['12h: the night of the change lasts 13 h; bob until 09:00 CET', halfDays, '2026-10-25T07:59:59Z', 'bob'],
    ['12h: alice from 09:00 CET (08:00 UTC)', halfDays, '2026-10-25T08:00:00Z', 'alice'],
    ['12h: bob from 21:00 CET (20:00 UTC)', halfDays, '2026-10-25T20:00:00Z', 'bob'],
    ['New York: dana from 09:00 EDT (13:00 UTC) on Friday', newYork, '2026-10-30T13:00:00Z', 'dana'],
    ['New York: eve until 09:00 EST on Sunday (14:00 UTC), across the change', newYork, '2026-11-01T13:59:59Z', 'eve'],
    ['New York: dana from 09:00 EST = 14:00 UTC', newYork, '2026-11-01T14:00:00Z', 'dana'],
  ];
  it.each(table)('%s', (_what, s, at, who) => {
    expect(onCallAt(s, utc(at))).toBe(who);
  });
});

describe('overrides', () => {
  // The example: a weekly rotation, carol over Christmas.
  const s = schedule('Europe/Berlin', '2026-11-30T09:00', '1w', ['alice', 'bob'], [{ person: 'carol', from: '2026-12-24T18:00', to: '2026-12-27T09:00' }]);

  it.each([
    ['2026-12-21T08:00:00Z', 'bob'], // week 4: bob (weeks: alice, bob, alice, bob)
    ['2026-12-24T16:59:59Z', 'bob'],
    ['2026-12-24T17:00:00Z', 'carol'], // 18:00 CET
    ['2026-12-27T07:59:59Z', 'carol'],
    ['2026-12-27T08:00:00Z', 'bob'], // back to the rotation at 09:00 CET
    ['2026-12-28T08:00:00Z', 'alice'],
  ])('at %s: %s', (at, who) => expect(onCallAt(s, utc(at))).toBe(who));

  it('cuts the shifts where the override starts and ends', () => {
    const list = shiftsBetween(s, utc('2026-12-21T08:00:00Z'), utc('2026-12-29T00:00:00Z'));
    expect(list.map((x) => [x.person, new Date(x.start).toISOString(), new Date(x.end).toISOString(), x.override])).toEqual([
      ['bob', '2026-12-21T08:00:00.000Z', '2026-12-24T17:00:00.000Z', false],
      ['carol', '2026-12-24T17:00:00.000Z', '2026-12-27T08:00:00.000Z', true],
      ['bob', '2026-12-27T08:00:00.000Z', '2026-12-28T08:00:00.000Z', false],
      ['alice', '2026-12-28T08:00:00.000Z', '2027-01-04T08:00:00.000Z', false],
    ]);
  });

  it('now and next', () => {
    const { current, next } = currentAndNext(s, utc('2026-12-23T12:00:00Z'));
    expect(current).toMatchObject({ person: 'bob', end: utc('2026-12-24T17:00:00Z') });
    expect(next).toMatchObject({ person: 'carol', start: utc('2026-12-24T17:00:00Z'), end: utc('2026-12-27T08:00:00Z'), override: true });
    const before = currentAndNext(s, utc('2026-11-01T00:00:00Z'));
    expect(before.current).toBeNull();
    expect(before.next).toMatchObject({ person: 'alice', start: utc('2026-11-30T08:00:00Z') });
  });
});

describe('shift lists', () => {
  it('keeps every handoff at 09:00 local across both Berlin changes (daily, a year)', () => {
    const s = schedule('Europe/Berlin', '2026-10-01T09:00', '1d', ['a', 'b']);
    const list = shiftsBetween(s, utc('2026-10-01T07:00:00Z'), utc('2027-10-01T07:00:00Z'));
    expect(list).toHaveLength(365);
    const localHours = new Set(list.map((x) => new Intl.DateTimeFormat('en-GB', { timeZone: 'Europe/Berlin', hour: '2-digit', minute: '2-digit' }).format(x.start)));
    expect([...localHours]).toEqual(['09:00']);
    expect(new Set(list.map((x) => (x.end - x.start) / 3_600_000))).toEqual(new Set([24, 23, 25]));
    // Consecutive, alternating.
    list.forEach((x, i) => {
      if (i > 0) expect(x.start).toBe(list[i - 1]!.end);
      expect(x.person).toBe(i % 2 === 0 ? 'a' : 'b');
    });
  });

  it('merges the shifts of a one-person rotation and reports nobody next', () => {
    const s = schedule('UTC', '2026-01-01T00:00', '1d', ['solo']);
    expect(shiftsBetween(s, utc('2026-01-05T00:00:00Z'), utc('2026-01-10T00:00:00Z'))).toHaveLength(1);
    expect(currentAndNext(s, utc('2026-01-05T00:00:00Z')).next).toBeNull();
  });

  it('a handoff inside the spring-forward gap moves forward by the gap; in the repeated hour it is the second occurrence', () => {
    const spring = schedule('Europe/Berlin', '2027-03-27T02:30', '1d', ['a', 'b']);
    // 2027-03-28 02:30 does not exist in Berlin: 03:30 CEST, 01:30 UTC.
    expect(onCallAt(spring, utc('2027-03-28T01:29:59Z'))).toBe('a');
    expect(onCallAt(spring, utc('2027-03-28T01:30:00Z'))).toBe('b');
    const autumn = schedule('Europe/Berlin', '2026-10-24T02:30', '1d', ['a', 'b']);
    // 2026-10-25 02:30 happens twice, at 00:30 UTC (CEST) and 01:30 UTC (CET): the handoff is the second.
    expect(onCallAt(autumn, utc('2026-10-25T01:29:59Z'))).toBe('a');
    expect(onCallAt(autumn, utc('2026-10-25T01:30:00Z'))).toBe('b');
  });
});
