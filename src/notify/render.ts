import { formatDuration, type Severity } from '../config/index.js';
import { EVENT_LABELS, type NotificationMessage } from './message.js';

/** Pieces every channel renders the same way, so Slack, Teams and email say the same thing. */

export const EVENT_EMOJI: Record<NotificationMessage['event'], string> = {
  opened: '🔴',
  acknowledged: '👀',
  escalated: '⏫',
  remediation_finished: '🛠️',
  resolved: '✅',
  verified: '✅',
  degraded: '🟡',
  paged: '📟',
};

export const SEVERITY_NAMES: Record<Severity, string> = { P1: 'critical', P2: 'high', P3: 'medium', P4: 'low' };

/** "2026-01-15 12:00 UTC": unambiguous for a reader anywhere. */
export function formatTime(ms: number): string {
  return `${new Date(ms).toISOString().slice(0, 16).replace('T', ' ')} UTC`;
}

/** The facts shown beside the title, in order. */
export function facts(message: NotificationMessage): [string, string][] {
  const i = message.incident;
  const out: [string, string][] = [
    ['Service', i.service ?? '—'],
    ['Severity', `${i.severity} (${SEVERITY_NAMES[i.severity]})`],
    ['Status', i.status],
    ['Started', formatTime(i.startedAt)],
  ];
  if (i.cause) out.push(['Cause', i.cause]);
  return out;
}

/** "Medic · incident #12 · opened · detect 2m · MTTR 14m" */
export function contextLine(message: NotificationMessage): string {
  const parts = ['Medic', `incident #${message.incident.id}`, EVENT_LABELS[message.event]];
  const p = message.incident.phases;
  if (typeof p?.detect_ms === 'number') parts.push(`detect ${formatDuration(p.detect_ms)}`);
  if (typeof p?.mttr_ms === 'number') parts.push(`MTTR ${formatDuration(p.mttr_ms)}`);
  return parts.join(' · ');
}

export function headline(message: NotificationMessage): string {
  return `${EVENT_EMOJI[message.event]} ${message.incident.severity} · ${message.incident.title}`;
}

/** Headers that let a receiver route and dedup deliveries. */
export function medicHeaders(message: NotificationMessage): Record<string, string> {
  return { 'x-medic-event': message.event, 'x-medic-delivery': message.idempotencyKey };
}
