import type { ImportReport } from './import.js';
import { FIELDS } from './fields.js';

const FORMAT_NAMES = { pagerduty: 'PagerDuty export', opsgenie: 'Opsgenie export', generic: 'generic export' } as const;

/** What `medic import` prints: the counts, the columns it read, and every skipped row with its reason. */
export function formatImportReport(report: ImportReport, file: string): string {
  const read = FIELDS.filter((f) => report.columns[f]).map((f) => `${f} ← ${report.columns[f]!.join(' | ')}`);
  const out = [
    `Imported ${report.imported} of ${report.rows} row${report.rows === 1 ? '' : 's'} from ${file} (${FORMAT_NAMES[report.format]})`,
    `Columns: ${read.join(', ')}`,
  ];
  if (report.skipped.length > 0) {
    out.push(`Skipped ${report.skipped.length}:`);
    const idWidth = Math.max(...report.skipped.map((s) => (s.id ?? '—').length));
    for (const s of report.skipped) out.push(`  line ${String(s.line).padEnd(5)} ${(s.id ?? '—').padEnd(idWidth)}  ${s.reason}`);
  }
  return `${out.join('\n')}\n`;
}
