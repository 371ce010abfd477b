import type { z } from 'zod';
import { closest } from '../suggest.js';
import type { ChannelConfig } from './notifications.js';
import { roundGap, type OncallConfig, type PersonConfig } from './oncall.js';

/**
 * The names on-call config uses across sections: people in rotations, overrides and levels, schedules
 * and channels in levels, policies in services, and the channels that carry pages to people's email and
 * Slack. Runs on the parsed config, like references.ts.
 */

interface Parsed {
  people: PersonConfig[];
  oncall: OncallConfig;
  notifications: ChannelConfig[];
  services: { name: string; escalation?: string | undefined }[];
}

const hinted = (value: string, known: string[]) => {
  const hint = closest(value, known);
  return hint ? ` (did you mean ${JSON.stringify(hint)}?)` : '';
};

export function checkOncallReferences(config: Parsed, ctx: z.RefinementCtx): void {
  const issue = (path: (string | number)[], message: string) => ctx.addIssue({ code: 'custom', path, message });
  const unique = (path: (string | number)[], names: string[], what: string) => {
    names.forEach((n, i) => {
      if (names.indexOf(n) < i) issue([...path, i, 'name'], `duplicate ${what} name ${JSON.stringify(n)}`);
    });
  };
  const { oncall, people } = config;
  unique(['people'], people.map((p) => p.name), 'person');
  unique(['oncall', 'schedules'], oncall.schedules.map((s) => s.name), 'schedule');
  unique(['oncall', 'escalation_policies'], oncall.escalation_policies.map((p) => p.name), 'escalation policy');

  const personNames = people.map((p) => p.name);
  const checkPerson = (path: (string | number)[], name: string) => {
    if (!personNames.includes(name)) issue(path, `unknown person ${JSON.stringify(name)}${hinted(name, personNames)}; define them under people:`);
  };

  // A person is paged through an existing channel of the contact's type: name it, or have exactly one.
  for (const type of ['email', 'slack'] as const) {
    const ofType = config.notifications.filter((c) => c.type === type).map((c) => c.name);
    const named = oncall.contacts[type];
    if (named !== undefined && !ofType.includes(named)) {
      issue(['oncall', 'contacts', type], `unknown ${type} channel ${JSON.stringify(named)}${hinted(named, ofType)}; name a notifications: entry of type ${type}`);
      continue;
    }
    if (named !== undefined || ofType.length === 1) continue;
    people.forEach((p, i) => {
      if (p[type] === undefined) return;
      issue(
        ['people', i, type],
        ofType.length === 0
          ? `${p.name}'s ${type} contact needs a notifications: channel of type ${type} to deliver it (its ${type === 'email' ? 'SMTP server and sender' : 'webhook'} are used)`
          : `several ${type} channels (${ofType.join(', ')}): say which delivers pages with oncall.contacts.${type}`,
      );
    });
  }
  people.forEach((p, i) => {
    if (p.email === undefined && p.slack === undefined && p.webhook === undefined) issue(['people', i], `${p.name} has no contact: give email, slack or webhook`);
  });

  oncall.schedules.forEach((s, i) => {
    s.rotation.people.forEach((n, j) => checkPerson(['oncall', 'schedules', i, 'rotation', 'people', j], n));
    s.overrides.forEach((o, j) => {
      checkPerson(['oncall', 'schedules', i, 'overrides', j, 'person'], o.person);
      if (localKey(o.to) <= localKey(o.from)) issue(['oncall', 'schedules', i, 'overrides', j, 'to'], `the override must end after it starts (${o.from})`);
    });
  });

  const scheduleNames = oncall.schedules.map((s) => s.name);
  const channelNames = config.notifications.map((c) => c.name);
  oncall.escalation_policies.forEach((policy, i) => {
    policy.levels.forEach((level, j) =>
      level.notify.forEach((target, k) => {
        const path = ['oncall', 'escalation_policies', i, 'levels', j, 'notify', k];
        if (target.kind === 'person') checkPerson(path, target.name);
        else if (target.kind === 'schedule' && !scheduleNames.includes(target.name)) issue(path, `unknown schedule ${JSON.stringify(target.name)}${hinted(target.name, scheduleNames)}; define it under oncall.schedules:`);
        else if (target.kind === 'channel' && !channelNames.includes(target.name)) issue(path, `unknown notification channel ${JSON.stringify(target.name)}${hinted(target.name, channelNames)}; define it under notifications:`);
      }),
    );
    if (policy.repeat > 0 && roundGap(policy) === 0) {
      issue(['oncall', 'escalation_policies', i, 'repeat'], 'repeating needs time between rounds: give the first or the last level an `after`');
    }
  });

  const policyNames = oncall.escalation_policies.map((p) => p.name);
  config.services.forEach((s, i) => {
    if (s.escalation !== undefined && !policyNames.includes(s.escalation)) {
      issue(['services', i, 'escalation'], `unknown escalation policy ${JSON.stringify(s.escalation)}${hinted(s.escalation, policyNames)}; define it under oncall.escalation_policies:`);
    }
  });
}

/** "2026-12-24T18:00" and "2026-12-24T18:00:00" compare as the same instant of local time. */
const localKey = (value: string) => (value.trim().length === 16 ? `${value.trim()}:00` : value.trim());
