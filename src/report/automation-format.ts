import { formatDuration } from '../config/index.js';
import { table } from './coverage-format.js';
import { automated, type AutomationReport } from './automation.js';

/** `medic coverage --automation` for people: the ranked incident types, the ten to automate next first. */

const day = (ms: number) => new Date(ms).toISOString().slice(0, 10);
const yes = (b: boolean) => (b ? '✓' : '✗');

export function formatAutomation(report: AutomationReport): string {
  const out = [`Incident types without automation, ${day(report.since)} to ${day(report.until)} (by count)`, ''];
  if (report.types.length === 0) return `${out[0]}\n\nNo incidents in this window.\n`;
  const rows = report.types.map((t, i) => [
    String(i + 1),
    t.alert ?? '(no alert)',
    t.service ?? '—',
    String(t.incidents),
    formatDuration(t.time_lost_ms),
    t.median_mttr_ms === null ? '—' : formatDuration(t.median_mttr_ms),
    yes(t.runbook),
    yes(t.remediation),
  ]);
  const [head, ...body] = table([['#', 'alert', 'service', 'incidents', 'time lost', 'median MTTR', 'runbook', 'remediation'], ...rows]);
  out.push(head!, ...body.slice(0, report.top));
  if (report.top === 0) out.push('(every incident type has a runbook and a remediation rule)');
  if (body.length > report.top) out.push('', 'The rest, by count:', ...body.slice(report.top));
  const lacking = report.types.filter((t) => !automated(t)).length;
  const n = report.types.length;
  out.push(
    '',
    lacking > 0
      ? `${lacking} of ${n} incident type${n === 1 ? '' : 's'} lack a runbook or a remediation rule; the first is the place to automate next.`
      : `All ${n} incident type${n === 1 ? ' is' : 's are'} covered by a runbook and a remediation rule.`,
  );
  return `${out.join('\n')}\n`;
}
