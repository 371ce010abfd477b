import type { Severity } from '../../config/index.js';
import { parseIsoInstant } from '../../shared/time.js';
import type { ColumnMap, Field } from './fields.js';
import { importedSeverity } from './severity.js';

/**
 * One row of an export, as an incident to import or the reason it is skipped. Times are ISO-8601 with
 * any UTC offset (a time without one is UTC), or Unix time in seconds or milliseconds.
 */

export interface ImportedIncident {
  line: number;
  id: string;
  title: string;
  service: string | null;
  severity: Severity;
  startedAt: number;
  createdAt: number;
  acknowledgedAt: number | null;
  resolvedAt: number;
}

export type RowResult = { ok: true; incident: ImportedIncident } | { ok: false; line: number; id: string | null; reason: string };

/** A row's cell by column name (CSV: the header's position; JSON: the key, or a dotted path). */
export type Row = { line: number; get(column: string): unknown };

/** Text of a cell: strings and numbers as they are; PagerDuty-style objects by their summary or name; a list by its first item. */
export function text(value: unknown): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'string') return value.trim();
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  if (Array.isArray(value)) return text(value[0]);
  if (typeof value === 'object') {
    const o = value as Record<string, unknown>;
    return text(o.summary ?? o.name ?? o.title ?? o.id);
  }
  return '';
}

/** UTC ms of a time cell; undefined for an unreadable one, null for an empty one. */
export function parseTime(value: unknown): number | null | undefined {
  const t = text(value);
  if (t === '') return null;
  if (/^\d{9,13}(\.\d+)?$/.test(t)) {
    const n = Number(t);
    // Ten digits or fewer are seconds (until the year 2286); more are milliseconds.
    return Math.round(n < 1e11 ? n * 1000 : n);
  }
  return parseIsoInstant(t);
}

export function readRow(row: Row, columns: ColumnMap): RowResult {
  // The first of the field's columns with a value in this row (the first column when none has one).
  const first = (field: Field) => {
    const candidates = columns[field] ?? [];
    const column = candidates.find((c) => text(row.get(c)) !== '') ?? candidates[0];
    return column === undefined ? undefined : { column, value: row.get(column) };
  };
  const id = text(first('id')?.value);
  const skip = (reason: string): RowResult => ({ ok: false, line: row.line, id: id || null, reason });
  if (!id) return skip('missing id');

  const times: Partial<Record<'started_at' | 'created_at' | 'acknowledged_at' | 'resolved_at', number | null>> = {};
  for (const field of ['started_at', 'created_at', 'acknowledged_at', 'resolved_at'] as const) {
    const cell = first(field);
    if (!cell) continue;
    const at = parseTime(cell.value);
    if (at === undefined) return skip(`bad date in ${cell.column}: ${JSON.stringify(text(cell.value))}`);
    times[field] = at;
  }
  const created = times.created_at ?? null;
  if (created === null) return skip(`no created time${columns.created_at ? ` (${columns.created_at.join(', ')} empty)` : ''}`);
  const resolved = times.resolved_at ?? null;
  if (resolved === null) return skip('not resolved (no resolved time): only recovered incidents have an MTTR');
  if (resolved < created) return skip('resolved before created');
  const acknowledged = times.acknowledged_at ?? null;
  if (acknowledged !== null && acknowledged < created) return skip('acknowledged before created');
  const started = times.started_at ?? created;
  if (started > created) return skip('impact started after the incident was created');

  return {
    ok: true,
    incident: {
      line: row.line,
      id,
      title: text(first('title')?.value) || `Imported incident ${id}`,
      service: text(first('service')?.value) || null,
      severity: importedSeverity((columns.severity ?? []).map((column) => ({ column, value: text(row.get(column)) }))),
      startedAt: started,
      createdAt: created,
      acknowledgedAt: acknowledged,
      resolvedAt: resolved,
    },
  };
}
