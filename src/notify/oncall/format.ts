import { formatDuration } from '../../config/index.js';
import type { OncallOverview } from './overview.js';
import type { Shift } from './schedule.js';

/** `medic oncall` as text: per schedule who is on call and until when, who is next; per policy who each level pages. */

const when = (ms: number, zone: string) =>
  `${new Intl.DateTimeFormat('en-CA', { timeZone: zone, year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }).format(ms).replace(',', '')} ${zone}`;

function shiftText(shift: Shift | null, zone: string, edge: 'until' | 'from'): string {
  if (!shift) return 'nobody';
  const time = edge === 'until' ? `until ${when(shift.end, zone)}` : `from ${when(shift.start, zone)} until ${when(shift.end, zone)}`;
  return `${shift.person}${shift.override ? ' (override)' : ''}, ${time}`;
}

export function formatOncall(o: OncallOverview): string {
  const lines: string[] = [`On call at ${new Date(o.at).toISOString()}`];
  if (o.schedules.length === 0 && o.policies.length === 0) return `${lines[0]}\nNo schedules or escalation policies are configured (oncall: in medic.yaml).`;
  if (o.schedules.length) lines.push('', 'Schedules');
  for (const s of o.schedules) {
    lines.push(`  ${s.name}`, `    now   ${shiftText(s.current, s.timezone, 'until')}`, `    next  ${shiftText(s.next, s.timezone, 'from')}`);
  }
  if (o.policies.length) lines.push('', 'Escalation policies');
  for (const p of o.policies) {
    lines.push(`  ${p.name} (page ${p.page.replace('_', ' ')}${p.repeat ? `, repeat ${p.repeat}×` : ''}${p.services.length ? `; ${p.services.join(', ')}` : ''})`);
    for (const l of p.levels) {
      const targets = l.targets.map((t) => (t.kind === 'schedule' ? `${t.target} → ${t.person ?? 'nobody'}` : t.target)).join(', ');
      lines.push(`    ${l.level}. ${l.afterMs ? `after ${formatDuration(l.afterMs)}: ` : ''}${targets}`);
    }
  }
  return lines.join('\n');
}
