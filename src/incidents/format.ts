import { formatDuration } from '../config/index.js';
import type { Incident } from './model.js';
import type { IncidentDetails } from './queries.js';

/** Text renderings of incidents for the terminal (`medic incidents`, `medic incident show`). */

const iso = (ms: number | null) => (ms === null ? '—' : new Date(ms).toISOString().replace('T', ' ').replace(/\.\d+Z$/, 'Z'));
const dur = (ms: number | null | undefined) => (ms === null || ms === undefined ? '—' : formatDuration(ms));

export function formatIncidentList(incidents: Incident[], now: number): string {
  if (incidents.length === 0) return 'No incidents.';
  const rows = incidents.map((i) => [
    `#${i.id}`,
    i.severity,
    i.status,
    i.service ?? '—',
    i.detectedAt === null ? '—' : `${formatDuration(Math.max(0, now - i.detectedAt))} ago`,
    i.phases.mttr_ms === null ? '' : `MTTR ${formatDuration(i.phases.mttr_ms)}`,
    i.title,
  ]);
  const widths = rows[0]!.map((_, c) => Math.max(...rows.map((r) => r[c]!.length)));
  return rows.map((r) => r.map((cell, c) => (c === r.length - 1 ? cell : cell.padEnd(widths[c]!))).join('  ')).join('\n');
}

export function formatIncidentDetails(d: IncidentDetails): string {
  const i = d.incident;
  const origin = i.detectedAt ?? i.startedAt ?? i.createdAt;
  const lines = [
    `Incident #${i.id} [${i.severity}] ${i.title}`,
    `  status    ${i.status}${i.reopenCount ? ` (reopened ${i.reopenCount}×)` : ''}`,
    `  service   ${i.service ?? '—'}`,
    ...(i.cause ? [`  cause     ${i.cause}`] : []),
    `  started   ${iso(i.startedAt)}`,
    `  detected  ${iso(i.detectedAt)}`,
    '',
    'Phases',
    `  detect    ${dur(i.phases.detect_ms)}`,
    `  diagnose  ${dur(i.phases.diagnose_ms)}`,
    `  resolve   ${dur(i.phases.resolve_ms)}`,
    `  verify    ${dur(i.phases.verify_ms)}`,
    `  MTTR      ${dur(i.phases.mttr_ms)}`,
    '',
    'Timeline',
    ...d.timeline.map((e) => {
      const rel = e.at - origin;
      const when = `${rel < 0 ? '-' : '+'}${formatDuration(Math.abs(rel))}`.padStart(9);
      return `  ${when}  ${e.actor.padEnd(16)} ${e.text}`;
    }),
  ];
  if (d.affected && d.affected.affected.length > 0) {
    lines.push('', 'Affected services');
    const walk = (t: NonNullable<IncidentDetails['affected']>, depth: number) => {
      lines.push(`  ${'  '.repeat(depth)}${depth ? '└ ' : ''}${t.service}${t.alerts.length ? ` (${t.alerts.join(', ')})` : ''}`);
      for (const c of t.affected) walk(c, depth + 1);
    };
    walk(d.affected, 0);
  }
  if (d.similar.length > 0) {
    lines.push('', 'Last time');
    for (const s of d.similar) {
      lines.push(`  #${s.id} ${iso(s.startedAt)}  MTTR ${dur(s.mttrMs)}  ${s.title}`);
      lines.push(`      cause: ${s.cause ?? '—'}   fix: ${s.fix ?? '—'}${s.postmortem ? `   postmortem: ${s.postmortem}` : ''}`);
    }
  }
  return lines.join('\n');
}
