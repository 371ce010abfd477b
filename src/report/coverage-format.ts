import { formatDuration } from '../config/index.js';
import { FAILURE_MODES, type CoverageReport, type Detector } from './coverage.js';

/** `medic coverage` for people: a service × failure mode table, then each detector's time to detect. */

export function table(rows: string[][]): string[] {
  const widths = rows[0]!.map((_, c) => Math.max(...rows.map((r) => r[c]!.length)));
  return rows.map((r) => r.map((cell, c) => cell.padEnd(widths[c]!)).join('  ').trimEnd());
}

const what = (d: Detector) => (d.kind === 'monitor' ? `monitor (${d.source})` : d.kind === 'alert' ? `alert (${d.source})` : `received (${d.source})`);

export function formatCoverage(report: CoverageReport): string {
  const out = [`Alert coverage by failure mode (target: detect within ${formatDuration(report.targetMs)})`, ''];
  if (report.services.length === 0) out.push('No services: define services, monitors or alerts in the config, or send alerts to Medic.');
  else {
    out.push(
      ...table([
        ['service', ...FAILURE_MODES, 'gaps'],
        ...report.services.map((s) => [
          s.configured ? s.service : `${s.service} *`,
          ...FAILURE_MODES.map((m) => (s.modes[m].covered ? (s.modes[m].throughDependencies ? '✓ (deps)' : '✓') : '✗')),
          s.gaps.length ? s.gaps.join(', ') : '—',
        ]),
      ]),
    );
    if (report.services.some((s) => !s.configured)) out.push('', '* not under services: in the config, seen on a monitor, an alert rule or a received alert');
  }

  const detectors = [...report.detectors].sort((a, b) => (b.worstCaseMs ?? -1) - (a.worstCaseMs ?? -1) || a.name.localeCompare(b.name));
  if (detectors.length > 0) {
    out.push('', 'Worst-case time to detect');
    out.push(
      ...table([
        ['detector', 'kind', 'service', 'covers', 'worst case', ''],
        ...detectors.map((d) => [
          d.name,
          what(d),
          d.service ?? '—',
          d.modes.length ? d.modes.join(', ') : `unclassified${d.kind === 'received' ? ' (label it alert_type=…)' : ''}`,
          d.worstCaseMs === null ? 'unknown' : formatDuration(d.worstCaseMs),
          d.slow ? `SLOW: ${d.slow}` : d.worstCaseMs === null ? '(evaluated outside Medic)' : d.parts.join(' + '),
        ]),
      ]),
    );
  }

  const { gaps, servicesWithGaps, slow } = report.summary;
  out.push(
    '',
    report.ok
      ? 'Every service has each failure mode covered, and every detector fires within the target.'
      : `${gaps} gap${gaps === 1 ? '' : 's'} in ${servicesWithGaps} service${servicesWithGaps === 1 ? '' : 's'}; ${slow} detector${slow === 1 ? '' : 's'} slower than ${formatDuration(report.targetMs)}.`,
  );
  return `${out.join('\n')}\n`;
}
