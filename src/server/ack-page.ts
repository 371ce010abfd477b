import type { Incident } from '../incidents/index.js';
import type { AckByLinkResult } from '../notify/oncall/index.js';
import { escapeHtml as esc } from '../notify/status-page/html.js';

/** The small HTML pages behind an acknowledge link: no script, no sign-in, one form. */

function page(title: string, body: string): string {
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><meta name="robots" content="noindex"><title>${esc(title)} · Medic</title>
<style>body{font-family:system-ui,sans-serif;max-width:36rem;margin:2rem auto;padding:0 1rem;color:#1b1f24}dt{color:#57606a;font-size:.85rem}dd{margin:0 0 .6rem}button{font-size:1.1rem;padding:.7rem 1.4rem;border:0;border-radius:6px;background:#cf222e;color:#fff}</style>
</head><body>${body}</body></html>`;
}

function facts(i: Incident): string {
  const started = i.startedAt ?? i.detectedAt;
  return `<h1>#${i.id} ${esc(i.title)}</h1><dl>
<dt>Service</dt><dd>${esc(i.service ?? '—')}</dd><dt>Severity</dt><dd>${esc(i.severity)}</dd><dt>Status</dt><dd>${esc(i.status)}</dd>
${started !== null ? `<dt>Started</dt><dd>${esc(new Date(started).toISOString().replace('T', ' ').slice(0, 16))} UTC</dd>` : ''}${i.cause ? `<dt>Cause</dt><dd>${esc(i.cause)}</dd>` : ''}</dl>`;
}

const REFUSED = {
  invalid: ['Link not valid', 'This acknowledge link is not valid. Acknowledge in Medic, or with <code>medic incident ack ID</code>.'],
  expired: ['Link expired', 'This acknowledge link has expired. Acknowledge in Medic, or with <code>medic incident ack ID</code>.'],
  used: ['Link already used', 'This acknowledge link was used already: each works once.'],
} as const;

/** GET: the incident and the button; nothing changes until it is pressed. */
export function ackFormPage(incident: Incident, who: string, action: string): string {
  const done = incident.acknowledgedAt !== null || incident.status === 'closed';
  return page(
    `Acknowledge #${incident.id}`,
    `${facts(incident)}${done ? `<p>This incident is ${incident.status === 'closed' ? 'closed' : 'acknowledged'} already.</p>` : `<form method="post" action="${esc(action)}"><p>Acknowledge as <strong>${esc(who)}</strong>: the escalation stops.</p><button type="submit">Acknowledge</button></form>`}`,
  );
}

export function ackResultPage(result: AckByLinkResult): { status: number; html: string } {
  switch (result.state) {
    case 'acknowledged':
      return { status: 200, html: page('Acknowledged', `${facts(result.incident)}<p>✓ Acknowledged by <strong>${esc(result.who)}</strong>. Nobody else is paged for it.</p>`) };
    case 'conflict':
      return { status: 409, html: page('Not acknowledged', `${facts(result.incident)}<p>${esc(result.message)}.</p>`) };
    case 'ok':
      return { status: 200, html: ackFormPage(result.incident, result.who, '') };
    default:
      return refusedPage(result.state);
  }
}

export function refusedPage(state: 'invalid' | 'expired' | 'used'): { status: number; html: string } {
  const [title, text] = REFUSED[state];
  return { status: state === 'invalid' ? 404 : 410, html: page(title, `<h1>${title}</h1><p>${text}</p>`) };
}
