import type { ChannelConfig, MedicConfig } from '../../config/index.js';

/**
 * How a page reaches a person: through an existing channel type, configured as the person's own. Email
 * goes through the SMTP server and sender of the email channel oncall.contacts.email names (or the only
 * one), to the person's address; Slack through the Slack channel's webhook, to the person's user id; a
 * webhook as the webhook channel's JSON body, to the person's URL. No other delivery path.
 */

export const CONTACTS = ['email', 'slack', 'webhook'] as const;
export type Contact = (typeof CONTACTS)[number];

type ContactConfig = Pick<MedicConfig, 'people' | 'notifications' | 'oncall'>;

function carrier<T extends 'email' | 'slack'>(config: ContactConfig, type: T): Extract<ChannelConfig, { type: T }> | undefined {
  const named = config.oncall.contacts[type];
  const ofType = config.notifications.filter((c) => c.type === type);
  const found = named !== undefined ? ofType.find((c) => c.name === named) : ofType.length === 1 ? ofType[0] : undefined;
  return found as Extract<ChannelConfig, { type: T }> | undefined;
}

/** The contacts a person can be paged at, in the order tried. */
export function contactsOf(config: ContactConfig, person: string): Contact[] {
  const p = config.people.find((x) => x.name === person);
  return p ? CONTACTS.filter((c) => p[c] !== undefined) : [];
}

/** The channel config that delivers a page to `person` at `contact`, or undefined when it cannot. */
export function contactChannel(config: ContactConfig, person: string, contact: Contact): ChannelConfig | undefined {
  const p = config.people.find((x) => x.name === person);
  const name = `${person} (${contact})`;
  if (!p) return undefined;
  if (contact === 'email' && p.email) {
    const via = carrier(config, 'email');
    return via && { ...via, name, to: [p.email], events: undefined };
  }
  if (contact === 'slack' && p.slack) {
    const via = carrier(config, 'slack');
    return via && { ...via, name, channel: p.slack, events: undefined };
  }
  if (contact === 'webhook' && p.webhook) return { type: 'webhook', name, url: p.webhook, headers: {} };
  return undefined;
}
