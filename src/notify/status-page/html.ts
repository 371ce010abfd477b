import type { PublicStatus } from '../../incidents/index.js';
import type { DayBar, DayLevel, PublicIncident, PublicService, ServiceState, StatusPage } from './schema.js';
import { STATE_TEXT } from './schema.js';
import { STATUS_PAGE_CSS } from './style.js';

/**
 * The status page as HTML, rendered on the server: it needs no JavaScript, and every value in it is
 * escaped (service names, titles, responders' words). Colour is never the only signal: each state has
 * words and a symbol; the day bars are a picture for the eye (with a tooltip per day) and each service
 * says the same in a sentence for everyone else.
 */

const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };
/**
 * Escapes markup, and writes every character beyond ASCII as a numeric entity: one such character
 * would make the whole page (megabytes for a thousand services) a two-byte string in memory, slower to
 * build and to encode, for every request's sake.
 */
export const escapeHtml = (text: string) =>
  text.replace(/[&<>"']|[\uD800-\uDBFF][\uDC00-\uDFFF]|[\u0080-\uFFFF]/g, (c) => ESCAPES[c] ?? `&#${c.codePointAt(0)};`);

// Entities, not the characters: the page stays ASCII (see escapeHtml).
const ICON: Record<ServiceState, string> = { operational: '&#10003;', degraded: '!', partial_outage: '&#10005;', major_outage: '&#10005;' };
const BAR_CLASS: Record<DayLevel, string> = { no_data: 'nd', operational: 'op', degraded: 'dg', partial_outage: 'po', major_outage: 'mo' };
const STATUS_TEXT: Record<PublicStatus, string> = { investigating: 'Investigating', identified: 'Identified', monitoring: 'Monitoring', resolved: 'Resolved' };
/** Days of bars a phone shows: the most recent ones. */
const PHONE_DAYS = 30;

/** Uptime as a percentage, rounded down so that 99.999% never reads as 100.00%. */
export const percent = (fraction: number) => (fraction >= 1 ? '100.00%' : `${(Math.floor(fraction * 10_000) / 100).toFixed(2)}%`);
const when = (iso: string) => `<time datetime="${iso}">${iso.slice(0, 16).replace('T', ' ')} UTC</time>`;
const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;

export function dayTitle(d: DayBar): string {
  const incidents = d.incidents > 0 ? `, ${plural(d.incidents, 'incident')}` : '';
  return `${d.date}: ${d.uptime === null ? 'no data' : `${percent(d.uptime)} uptime`}${incidents}`;
}

/** The sentence that says what the bars show. */
export function uptimeSummary(s: PublicService): string {
  const days = s.days.length;
  if (s.uptime === null) return `No checks in the last ${plural(days, 'day')}.`;
  const below = s.days.filter((d) => d.uptime !== null && d.uptime < 1);
  const lowest = below.reduce<DayBar | undefined>((low, d) => (low === undefined || d.uptime! < low.uptime! ? d : low), undefined);
  const withIncidents = s.days.filter((d) => d.incidents > 0).length;
  return [
    `${percent(s.uptime)} uptime over the last ${plural(days, 'day')}.`,
    lowest ? `${plural(below.length, 'day')} below 100%, the lowest ${percent(lowest.uptime!)} on ${lowest.date}.` : '',
    withIncidents > 0 ? `Incidents on ${plural(withIncidents, 'day')}.` : '',
  ]
    .filter(Boolean)
    .join(' ');
}

function state(s: ServiceState, className: string, role = ''): string {
  return `<p class="${className} s-${s}"${role ? ` role="${role}"` : ''}><span class="icon" aria-hidden="true">${ICON[s]}</span> ${STATE_TEXT[s]}</p>`;
}

/**
 * Bars that look the same on every service — a day at 100% or without data, and no incident — made
 * once per page rather than once per service: most of a thousand services' 90 days are such days.
 */
type BarMemo = Map<string, string>;

function bar(d: DayBar, memo: BarMemo): string {
  // A day's title is made of a date and numbers only: nothing in it needs escaping.
  const make = () => `<li class="${BAR_CLASS[d.level]}" title="${dayTitle(d)}"></li>`;
  if (d.incidents > 0 || (d.uptime !== null && d.uptime < 1)) return make();
  const key = `${d.uptime === null ? '-' : '+'}${d.date}`;
  let html = memo.get(key);
  if (html === undefined) memo.set(key, (html = make()));
  return html;
}

function renderServiceHtml(s: PublicService, memo: BarMemo): string {
  const bars = s.days.map((d) => bar(d, memo)).join('');
  const days = s.days.length;
  return `<li class="service"><div class="row"><h3>${escapeHtml(s.name)}</h3>${state(s.state, 'state')}</div>
<ol class="bars" aria-hidden="true">${bars}</ol>
<div class="axis" aria-hidden="true"><span class="long">${days === 1 ? 'Today' : `${days} days ago`}</span><span class="short">${Math.min(days, PHONE_DAYS)} days ago</span><span>Today</span></div>
<p class="summary">${escapeHtml(uptimeSummary(s))}</p></li>`;
}

function incident(i: PublicIncident): string {
  const updates = i.updates
    .map((u) => `<li><p class="update-head"><strong>${STATUS_TEXT[u.status]}</strong> ${when(u.at)}</p><p class="message">${escapeHtml(u.message)}</p></li>`)
    .join('\n');
  const resolved = i.resolved_at ? ` &middot; resolved ${when(i.resolved_at)}` : '';
  return `<article class="incident i-${i.impact}" id="incident-${i.id}" aria-labelledby="incident-${i.id}-title">
<h3 id="incident-${i.id}-title">${escapeHtml(i.title)}</h3>
<p class="meta"><strong>${STATUS_TEXT[i.status]}</strong> &middot; started ${when(i.started_at)}${resolved}</p>
${updates ? `<ol class="updates" aria-label="Updates, newest first">${updates}</ol>` : ''}
</article>`;
}

export function renderStatusHtml(page: StatusPage, paths: { page: string; feed: string; json: string }): string {
  const memo: BarMemo = new Map();
  const services = page.services.map((s) => renderServiceHtml(s, memo));
  const title = escapeHtml(page.title);
  const days = page.services[0]?.days.length ?? 0;
  // On a phone, the oldest bars are hidden so the rest stay wide enough to see.
  const phone = days > PHONE_DAYS ? `@media (max-width:40rem){.bars li:nth-child(-n+${days - PHONE_DAYS}){display:none}}` : '';
  const active = page.active_incidents.length
    ? `<section aria-labelledby="h-active"><h2 id="h-active">Active incidents</h2>\n${page.active_incidents.map(incident).join('\n')}</section>`
    : '';
  const recent = page.recent_incidents.length ? page.recent_incidents.map(incident).join('\n') : '<p>No incidents in the last 14 days.</p>';
  const list = services.length ? `<ul class="services">\n${services.join('\n')}\n</ul>` : '<p>No services are listed.</p>';
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="color-scheme" content="light dark">
<title>${title}</title>
<link rel="alternate" type="application/atom+xml" title="${title}: updates" href="${escapeHtml(paths.feed)}">
<style>${STATUS_PAGE_CSS}${phone}</style>
</head>
<body>
<header>
<h1>${title}</h1>
${state(page.state, 'overall', 'status')}
</header>
<main>
${active}
<section aria-labelledby="h-services"><h2 id="h-services">Services</h2>
${list}
</section>
<section aria-labelledby="h-recent"><h2 id="h-recent">Past incidents</h2>
${recent}
</section>
</main>
<footer><p>Updated ${when(page.generated_at)}. <a href="${escapeHtml(paths.feed)}">Updates as an Atom feed</a> &middot; <a href="${escapeHtml(paths.json)}">JSON</a></p></footer>
</body>
</html>
`;
}
