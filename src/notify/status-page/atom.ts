import { Feed } from 'feed';
import type { PublicStatus } from '../../incidents/index.js';
import { escapeHtml } from './html.js';
import type { StatusPage } from './schema.js';

/**
 * The public updates as an Atom feed, newest first: one entry per update of the incidents on the page.
 * Entry ids are URNs made of the incident and the update's time and status, so they stay the same from
 * one answer to the next. The feed library writes title and content as HTML; the words are escaped
 * first, so a responder's `<b>` reads as text in every reader.
 */

/** Entries in the feed at most. */
const MAX_ENTRIES = 100;
const STATUS_TEXT: Record<PublicStatus, string> = { investigating: 'Investigating', identified: 'Identified', monitoring: 'Monitoring', resolved: 'Resolved' };

export interface FeedLinks {
  /** Absolute base URL (server.public_url), or '' for links relative to the feed. */
  base: string;
  page: string;
  feed: string;
}

export function renderAtom(page: StatusPage, links: FeedLinks): string {
  const pageUrl = `${links.base}${links.page}`;
  const entries = [...page.active_incidents, ...page.recent_incidents]
    .flatMap((i) => i.updates.map((u) => ({ i, u })))
    .sort((a, b) => b.u.at.localeCompare(a.u.at) || b.i.id - a.i.id)
    .slice(0, MAX_ENTRIES);
  const feed = new Feed({
    id: `urn:medic:status:${encodeURIComponent(links.page)}`,
    title: page.title,
    link: pageUrl,
    updated: new Date(entries[0]?.u.at ?? page.generated_at),
    generator: 'Medic',
    feedLinks: { atom: `${links.base}${links.feed}` },
    copyright: '',
  });
  for (const { i, u } of entries) {
    feed.addItem({
      id: `urn:medic:status-update:${i.id}:${Date.parse(u.at)}:${u.status}`,
      title: escapeHtml(`${STATUS_TEXT[u.status]}: ${i.title}`),
      link: `${pageUrl}#incident-${i.id}`,
      date: new Date(u.at),
      content: escapeHtml(u.message),
    });
  }
  return feed.atom1();
}
