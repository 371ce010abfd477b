import { describe, expect, it } from 'vitest';
import { loadConfigText } from '../../src/config/index.js';
import { configProblems as problems } from '../helpers/config.js';
import { ONCALL_EXAMPLE } from './fixtures.js';

describe('on-call config', () => {
  it('loads the example: people, a rotation, an override, a policy with two levels, a service using it', () => {
    const { config } = loadConfigText(ONCALL_EXAMPLE, { env: {} });
    expect(config.people.map((p) => p.name)).toEqual(['alice', 'bob', 'carol']);
    const s = config.oncall.schedules[0]!;
    expect(s.rotation.every).toEqual({ unit: 'weeks', count: 1 });
    expect(s.overrides[0]).toEqual({ person: 'carol', from: '2026-12-24T18:00', to: '2026-12-27T09:00' });
    const p = config.oncall.escalation_policies[0]!;
    expect(p).toMatchObject({ page: 'on_escalation', repeat: 2 });
    expect(p.levels.map((l) => l.after)).toEqual([0, 600_000]);
    expect(p.levels[1]!.notify).toEqual([{ kind: 'person', name: 'carol' }, { kind: 'channel', name: 'payments-slack' }]);
    expect(config.services[0]!.escalation).toBe('payments');
    expect(config.oncall.ack_link_ttl).toBe(3_600_000);
  });

  it('page defaults to on_escalation, repeat to 0', () => {
    const { config } = loadConfigText(`people: [{ name: a, webhook: "http://127.0.0.1:9/a" }]\noncall:\n  escalation_policies:\n    - { name: p, levels: [{ notify: [person:a] }] }\n`, { env: {} });
    expect(config.oncall.escalation_policies[0]).toMatchObject({ page: 'on_escalation', repeat: 0 });
  });

  it('names file, line and key of unknown people, schedules, channels and policies, with hints', () => {
    const text = ONCALL_EXAMPLE.replace('people: [alice, bob]', 'people: [alice, bobb]')
      .replace('schedule:payments-primary', 'schedule:payments-primry')
      .replace('channel:payments-slack', 'channel:payment-slack')
      .replace('{ person: carol,', '{ person: karl,')
      .replace('escalation: payments }', 'escalation: payment }');
    const list = problems(text);
    const byPath = Object.fromEntries(list.map((p) => [p.path, p]));
    expect(byPath['oncall.schedules[0].rotation.people[1]']).toMatchObject({ file: 'medic.yaml', line: 13, message: expect.stringContaining('unknown person "bobb" (did you mean "bob"?)') });
    expect(byPath['oncall.schedules[0].overrides[0].person']).toMatchObject({ line: 15, message: expect.stringContaining('unknown person "karl"') });
    expect(byPath['oncall.escalation_policies[0].levels[0].notify[0]']).toMatchObject({ line: 20, message: expect.stringContaining('unknown schedule "payments-primry" (did you mean "payments-primary"?)') });
    expect(byPath['oncall.escalation_policies[0].levels[1].notify[1]']).toMatchObject({ line: 21, message: expect.stringContaining('unknown notification channel "payment-slack" (did you mean "payments-slack"?)') });
    expect(byPath['services[0].escalation']).toMatchObject({ line: 24, message: expect.stringContaining('unknown escalation policy "payment" (did you mean "payments"?)') });
    expect(list).toHaveLength(5);
  });

  it('rejects a bad time zone, shift length, local time, target and an override that ends before it starts', () => {
    const text = ONCALL_EXAMPLE.replace('Europe/Berlin', 'Europe/Berlni')
      .replace('every: 1w', 'every: 1 week')
      .replace('start: "2026-11-30T09:00"', 'start: "2026-11-30 09:00Z"')
      .replace('to: "2026-12-27T09:00"', 'to: "2026-12-24T17:00"')
      .replace('[person:carol,', '[carol,');
    const messages = problems(text).map((p) => `${p.line} ${p.path}: ${p.message}`);
    expect(messages).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^12 oncall.schedules\[0\].timezone: expected an IANA time zone/),
        expect.stringMatching(/^13 oncall.schedules\[0\].rotation.every: expected a shift length such as "1w"/),
        expect.stringMatching(/^13 oncall.schedules\[0\].rotation.start: expected a local date and time/),
        expect.stringMatching(/^21 oncall.escalation_policies\[0\].levels\[1\].notify\[0\]: expected "schedule:NAME"/),
      ]),
    );
    // The override is checked once the rest parses.
    const late = problems(ONCALL_EXAMPLE.replace('to: "2026-12-27T09:00"', 'to: "2026-12-24T17:00"'));
    expect(late).toEqual([expect.objectContaining({ line: 15, path: 'oncall.schedules[0].overrides[0].to', message: expect.stringContaining('must end after it starts') })]);
  });

  it('needs a channel to carry people\'s email and Slack pages, and a contact per person', () => {
    const noMail = problems(ONCALL_EXAMPLE.replace(/\n {2}- \{ name: pager-mail.*\n/, '\n'));
    expect(noMail.map((p) => p.path)).toEqual(['people[0].email', 'people[1].email', 'people[2].email']);
    expect(noMail[0]!.message).toMatch(/needs a notifications: channel of type email/);
    const two = problems(ONCALL_EXAMPLE.replace('notifications:\n', 'notifications:\n  - { name: other-mail, type: email, smtp: "smtp://127.0.0.1:2526", from: "m@example.com", to: x@example.com }\n'));
    expect(two[0]!.message).toMatch(/several email channels \(other-mail, pager-mail\): say which delivers pages with oncall.contacts.email/);
    const named = ONCALL_EXAMPLE.replace('notifications:\n', 'notifications:\n  - { name: other-mail, type: email, smtp: "smtp://127.0.0.1:2526", from: "m@example.com", to: x@example.com }\n').replace('oncall:\n', 'oncall:\n  contacts: { email: pager-mail }\n');
    expect(loadConfigText(named, { env: {} }).config.oncall.contacts.email).toBe('pager-mail');
    expect(problems(named.replace('contacts: { email: pager-mail }', 'contacts: { email: payments-slack }'))[0]).toMatchObject({ path: 'oncall.contacts.email', message: expect.stringContaining('unknown email channel') });
    expect(problems(ONCALL_EXAMPLE.replace('{ name: bob, email: bob@example.com }', '{ name: bob }'))[0]).toMatchObject({ path: 'people[1]', line: 7, message: 'bob has no contact: give email, slack or webhook' });
  });

  it('refuses duplicate names and a repeat without time between rounds', () => {
    const dup = problems(ONCALL_EXAMPLE.replace('{ name: carol,', '{ name: bob,'));
    expect(dup.some((p) => p.path === 'people[2].name' && /duplicate person name "bob"/.test(p.message))).toBe(true);
    const tight = problems(ONCALL_EXAMPLE.replace('after: 10m, ', ''));
    expect(tight).toEqual([expect.objectContaining({ path: 'oncall.escalation_policies[0].repeat', message: expect.stringContaining('repeating needs time between rounds') })]);
  });
});
