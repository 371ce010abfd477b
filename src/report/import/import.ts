import { deriveState, derivePhases, insertImported, parseEventBody, type EventLike } from '../../incidents/index.js';
import { stripControls } from '../../shared/text.js';
import { toJson, type NewRow, type Store } from '../../store/index.js';
import { CsvError, parseCsv } from './csv.js';
import { detectFormat, ImportInputError, mapColumns, parseMappings, type ColumnMap, type ImportFormat } from './fields.js';
import { readRow, type ImportedIncident, type Row } from './rows.js';

/**
 * Past incidents from PagerDuty, Opsgenie or any CSV or JSON export, so a team sees its MTTR history on
 * day one.
 *
 * An imported incident gets what the file says: started and detected at its created time (started at
 * its impact start when the file has one), acknowledged and resolved when it says so, never verified
 * (so verify = 0) and never diagnosed (so diagnose = 0 and resolve runs from detection to the fix).
 * Like every incident its timeline is the source of truth: an `opened` event, `acknowledged` when
 * known and `resolved`, by the actor `import`, from which the timestamps and phases are derived. It is
 * closed at once, with source `import`.
 *
 * Importing is idempotent: `external_id` is `<format>:<id>` and unique in the database, so a row already
 * imported is skipped (as "already imported"), and importing the same file twice adds nothing.
 */

export const IMPORT_ACTOR = 'import';

export interface ImportOptions {
  format?: ImportFormat;
  /** `column=field` pairs, for columns with names Medic does not know. */
  map?: string[];
  now: number;
}

export interface ImportReport {
  format: ImportFormat;
  /** The column each field was read from. */
  columns: ColumnMap;
  rows: number;
  imported: number;
  skipped: { line: number; id: string | null; reason: string }[];
}

/** The records of a file: a CSV with a header row, or JSON (an array of objects, or an object holding one). */
export function readRecords(content: string, fileName = ''): { columns: string[]; rows: Row[] } {
  const trimmed = content.replace(/^\uFEFF/, '').trimStart();
  const json = /\.json$/i.test(fileName) || trimmed.startsWith('[') || trimmed.startsWith('{');
  if (json) {
    let data: unknown;
    try {
      data = JSON.parse(trimmed);
    } catch (err) {
      throw new ImportInputError(`not valid JSON: ${(err as Error).message}`);
    }
    if (data && typeof data === 'object' && !Array.isArray(data)) {
      // PagerDuty's API answers { incidents: [...] }, Opsgenie's { data: [...] }.
      const list = Object.values(data).find(Array.isArray);
      if (!list) throw new ImportInputError('expected a JSON array of incidents, or an object holding one');
      data = list;
    }
    const items = (data as unknown[]).filter((x): x is Record<string, unknown> => typeof x === 'object' && x !== null && !Array.isArray(x));
    const columns = [...new Set(items.flatMap((item) => Object.keys(item)))];
    return {
      columns,
      rows: items.map((item, i) => ({
        // JSON has no lines: the item's position (1-based) stands in.
        line: i + 1,
        get: (column) => clean(column in item ? item[column] : column.split('.').reduce<unknown>((v, key) => (v && typeof v === 'object' ? (v as Record<string, unknown>)[key] : undefined), item)),
      })),
    };
  }
  let records;
  try {
    records = parseCsv(content);
  } catch (err) {
    if (err instanceof CsvError) throw new ImportInputError(`not valid CSV: ${err.message}`);
    throw err;
  }
  const [header, ...body] = records;
  if (!header) throw new ImportInputError('the file is empty');
  const columns = header.fields.map((c) => c.trim());
  return { columns, rows: body.map((r) => ({ line: r.line, get: (column) => clean(r.fields[columns.indexOf(column)] ?? '') })) };
}

/** Every text read from a file, without control characters but tab and newline, as alerts are (shared/text.ts). */
const clean = (value: unknown): unknown => (typeof value === 'string' ? stripControls(value) : value);

/** The incident row and its timeline, derived from the events as for any incident. */
function toRecords(i: ImportedIncident, format: ImportFormat, now: number) {
  const externalId = `${format}:${i.id}`;
  const events: EventLike[] = [
    { type: 'opened', at: i.createdAt, payload: { started_at: i.startedAt, source: 'import', format, external_id: externalId } },
    ...(i.acknowledgedAt !== null ? [{ type: 'acknowledged' as const, at: i.acknowledgedAt, payload: { source: 'import' } }] : []),
    { type: 'resolved', at: i.resolvedAt, payload: { by: 'import', note: `resolved in ${format}` } },
  ];
  const state = deriveState(events);
  const incident: NewRow<'incidents'> = {
    fingerprint: `import:${externalId}`,
    title: i.title,
    service: i.service,
    severity: i.severity,
    labels: toJson({ imported_from: format }),
    // Nothing more will happen to a past incident: it is closed when it was resolved.
    status: 'closed',
    source: 'import',
    started_at: state.started_at,
    detected_at: state.detected_at,
    acknowledged_at: state.acknowledged_at,
    diagnosed_at: null,
    resolved_at: state.resolved_at,
    verified_at: null,
    closed_at: state.resolved_at,
    ...derivePhases(state),
    external_id: externalId,
    created_at: now,
    updated_at: now,
  };
  return { incident, events };
}

const BATCH = 500;

export async function importIncidents(store: Store, content: string, fileName: string, options: ImportOptions): Promise<ImportReport> {
  const { columns, rows } = readRecords(content, fileName);
  const format = options.format ?? detectFormat(columns);
  const map = mapColumns(columns, parseMappings(options.map ?? []));
  if (!map.id) throw new ImportInputError(`no id column (looked for id, incident_number, …; have ${columns.join(', ') || 'none'}): name it with --map <column>=id`);
  if (!map.created_at) throw new ImportInputError(`no created time column (looked for created_on, created_at, triggered_at, …): name it with --map <column>=created_at`);

  const report: ImportReport = { format, columns: map, rows: rows.length, imported: 0, skipped: [] };
  const valid: ImportedIncident[] = [];
  const seen = new Map<string, number>();
  for (const row of rows) {
    const result = readRow(row, map);
    if (!result.ok) {
      report.skipped.push({ line: result.line, id: result.id, reason: result.reason });
      continue;
    }
    const first = seen.get(result.incident.id);
    if (first !== undefined) {
      report.skipped.push({ line: row.line, id: result.incident.id, reason: `duplicate id (first on line ${first})` });
      continue;
    }
    seen.set(result.incident.id, row.line);
    valid.push(result.incident);
  }

  for (let start = 0; start < valid.length; start += BATCH) {
    const batch = valid.slice(start, start + BATCH);
    const records = batch.map((i) => toRecords(i, format, options.now));
    await store.transaction(async (trx) => {
      const ids = await insertImported(trx, records.map((r) => r.incident));
      const events = records.flatMap((r) => {
        const id = ids.get(r.incident.external_id!);
        return id === undefined ? [] : r.events.map((e) => ({ incident_id: id, at: e.at, actor: IMPORT_ACTOR, type: e.type, payload: toJson(parseEventBody(e.type, e.payload).payload), created_at: options.now }));
      });
      if (events.length) await trx.insertInto('incident_events').values(events).execute();
      report.imported += ids.size;
      for (const i of batch) if (!ids.has(`${format}:${i.id}`)) report.skipped.push({ line: i.line, id: i.id, reason: 'already imported' });
    });
  }
  report.skipped.sort((a, b) => a.line - b.line);
  return report;
}
