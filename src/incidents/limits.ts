import { createHash } from 'node:crypto';
import { isHttpUrl } from '../shared/url.js';
import { cutText, hasControl, stripControls } from '../shared/text.js';
import type { IncomingAlert } from './alert.js';

/**
 * One set of limits for every alert Medic takes in, whatever sent it (Alertmanager, the webhook,
 * PagerDuty, a monitor, an alert rule): ingestAlerts applies them before anything is stored, matched or
 * handed to a script. A sender's mistake (a 200 KB label, 10,000 labels) must not cost the alert or stop
 * the automation it should start, so nothing here refuses: an over-long value is cut with a visible
 * marker, what is past a count is dropped, and the incident's timeline gets a note saying what.
 * README.md, "Limits on what Medic accepts", documents the numbers.
 */
export const ALERT_LIMITS = {
  /** Labels per alert; Medic's own (alertname, service, severity, monitor, alert_type) are kept first. */
  labels: 64,
  annotations: 64,
  /** Label and annotation names: a longer name is dropped, not cut (cut, it would be another name). */
  nameLength: 128,
  /** Label values, and the name, service, title and group key of the alert. */
  labelValueLength: 1024,
  /** Annotation values and the description. */
  annotationValueLength: 16_384,
  /** A longer fingerprint is replaced by its hash (same input, same incident). */
  fingerprintLength: 256,
  /** generatorURL and link annotations: a cut URL is a broken one, so a longer one is dropped. */
  urlLength: 16_384,
} as const;

/** Labels Medic sets or reads itself: kept before the sender's when there are too many. */
const OWN_LABELS = ['alertname', 'service', 'severity', 'monitor', 'alert_type'];

/** Annotation names that hold a link (`runbook_url`, `dashboard`, `grafana_link`…): only http(s) is kept. */
const LINK_NAME = /(?:url|uri|link|href|runbook|dashboard|playbook)$/i;

/** How many names a note lists before it says "and N more". */
const NAMES_IN_NOTE = 5;

export interface BoundedAlert {
  alert: IncomingAlert;
  /** What was cut or dropped, one sentence each; empty when the alert was within the limits. */
  notes: string[];
}

/**
 * The alert within ALERT_LIMITS: control characters but tab and newline removed from every string,
 * long values cut with a marker, labels and annotations past the count or with long names dropped,
 * links that are not http(s) dropped.
 */
export function boundAlert(input: IncomingAlert): BoundedAlert {
  const notes = new Notes();
  const L = ALERT_LIMITS;
  const value = (what: string, text: string, max: number) => {
    const clean = stripControls(text);
    if (clean.length <= max) return clean;
    notes.cut(what, clean.length, max);
    return cutText(clean, max);
  };

  const alert: IncomingAlert = {
    ...input,
    name: value('the alert name', input.name, L.labelValueLength),
    service: input.service === null ? null : value('the service', input.service, L.labelValueLength),
    title: value('the title', input.title, L.labelValueLength),
    fingerprint: boundFingerprint(input.fingerprint, notes),
    labels: boundMap('label', input.labels, L.labels, L.labelValueLength, notes, OWN_LABELS),
    annotations: boundMap('annotation', input.annotations, L.annotations, L.annotationValueLength, notes),
  };
  if (input.description !== undefined) alert.description = value('the description', input.description, L.annotationValueLength);
  if (input.groupKey !== undefined) alert.groupKey = value('the group key', input.groupKey, L.labelValueLength);
  delete alert.generatorUrl;
  if (input.generatorUrl !== undefined) {
    const url = stripControls(input.generatorUrl);
    if (!isHttpUrl(url)) notes.push('generatorURL dropped: not an http(s) URL');
    else if (url.length > L.urlLength) notes.push(`generatorURL dropped: longer than ${L.urlLength} characters`);
    else alert.generatorUrl = url;
  }
  const badLinks = Object.keys(alert.annotations).filter((name) => {
    const link = alert.annotations[name]!;
    return LINK_NAME.test(name) && link.includes(':') && !(isHttpUrl(link) && link.length <= L.urlLength);
  });
  if (badLinks.length > 0) {
    // A copy: the map may still be the sender's own (boundMap keeps a map within the limits as it is).
    alert.annotations = Object.fromEntries(Object.entries(alert.annotations).filter(([name]) => !badLinks.includes(name)));
    for (const name of badLinks) notes.push(`annotation ${JSON.stringify(name)} dropped: not an http(s) URL`);
  }
  return { alert, notes: notes.list() };
}

/** A fingerprint is identity: cleaned, and hashed rather than cut when too long, so it stays one per alert. */
function boundFingerprint(fingerprint: string, notes: Notes): string {
  const clean = stripControls(fingerprint);
  if (clean.length <= ALERT_LIMITS.fingerprintLength) return clean;
  notes.push(`fingerprint of ${clean.length} characters replaced by its SHA-256`);
  return `sha256:${createHash('sha256').update(clean).digest('hex')}`;
}

function boundMap(kind: 'label' | 'annotation', map: Record<string, string>, count: number, valueLength: number, notes: Notes, first: readonly string[] = []): Record<string, string> {
  const names = Object.keys(map);
  // Almost every map is within the limits already: then it is kept as it is, without a copy.
  if (names.length <= count && names.every((n) => n !== '' && n.length <= ALERT_LIMITS.nameLength && !hasControl(n) && typeof map[n] === 'string' && map[n].length <= valueLength && !hasControl(map[n]))) return map;
  const ordered = first.length ? [...first.filter((n) => Object.hasOwn(map, n)), ...names.filter((n) => !first.includes(n))] : names;
  const out: Record<string, string> = {};
  const longNames: string[] = [];
  let kept = 0;
  let dropped = 0;
  for (const raw of ordered) {
    const name = stripControls(raw);
    if (name.length > ALERT_LIMITS.nameLength) {
      longNames.push(name);
      continue;
    }
    if (name === '' || Object.hasOwn(out, name)) continue;
    if (kept === count) {
      dropped++;
      continue;
    }
    const text = stripControls(String(map[raw]));
    if (text.length > valueLength) notes.cut(`${kind} ${JSON.stringify(name)}`, text.length, valueLength);
    const bounded = cutText(text, valueLength);
    // Assigned "__proto__" would set the prototype: defined instead, it stays an ordinary name.
    if (name === '__proto__') Object.defineProperty(out, name, { value: bounded, enumerable: true, writable: true, configurable: true });
    else out[name] = bounded;
    kept++;
  }
  if (longNames.length > 0) notes.push(`${longNames.length} ${kind}${longNames.length === 1 ? '' : 's'} dropped: name longer than ${ALERT_LIMITS.nameLength} characters (${listNames(longNames)})`);
  if (dropped > 0) notes.push(`${dropped} ${kind}s dropped (at most ${count})`);
  return out;
}

function listNames(names: string[]): string {
  const shown = names.slice(0, NAMES_IN_NOTE).map((n) => JSON.stringify(cutText(n, 40)));
  return names.length > NAMES_IN_NOTE ? `${shown.join(', ')} and ${names.length - NAMES_IN_NOTE} more` : shown.join(', ');
}

/** The notes of one alert; cut values are listed one by one up to a few, then counted. */
class Notes {
  private readonly notes: string[] = [];
  private cuts = 0;

  push(note: string): void {
    this.notes.push(note);
  }

  cut(what: string, from: number, to: number): void {
    if (++this.cuts <= NAMES_IN_NOTE) this.notes.push(`${what} cut from ${from} to ${to} characters`);
  }

  list(): string[] {
    const more = this.cuts - NAMES_IN_NOTE;
    return more > 0 ? [...this.notes, `${more} more values cut`] : this.notes;
  }
}
