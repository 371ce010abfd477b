/**
 * Which column of an export holds which field of an incident. Column names are matched ignoring case,
 * spaces and punctuation (`Created On`, `created_on` and `createdOn` are the same), against the names
 * PagerDuty, Opsgenie and most exports use; `--map column=field` names any other column.
 */

export const IMPORT_FORMATS = ['pagerduty', 'opsgenie', 'generic'] as const;
export type ImportFormat = (typeof IMPORT_FORMATS)[number];

export const FIELDS = ['id', 'title', 'service', 'severity', 'started_at', 'created_at', 'acknowledged_at', 'resolved_at'] as const;
export type Field = (typeof FIELDS)[number];

/**
 * Column names per field, in order of preference when an export has several: row by row, the first of
 * them with a value is read (JSON exports do not always have the same keys in every object). The id is
 * the exception: it is read from one column only, so that an incident's external id never depends on
 * which of its cells happened to be filled. Plain `acknowledged` and `resolved` are left out on purpose:
 * exports use them for yes/no columns.
 */
export const ALIASES: Record<Field, readonly string[]> = {
  id: ['id', 'incident_number', 'incident_id', 'tiny_id', 'number', 'key'],
  title: ['title', 'description', 'summary', 'message', 'name'],
  service: ['service_name', 'service', 'impacted_services', 'services'],
  severity: ['severity', 'priority', 'urgency'],
  started_at: ['started_at', 'started_on', 'impact_start_date', 'impact_started_at', 'start_date'],
  created_at: ['created_on', 'created_at', 'triggered_at', 'opened_at', 'detected_at', 'created'],
  acknowledged_at: ['acknowledged_on', 'acknowledged_at', 'first_acknowledged_at', 'acked_at'],
  resolved_at: ['resolved_on', 'resolved_at', 'impact_end_date', 'closed_at', 'ended_at'],
};

/** `Created On`, `created_on`, `createdOn` → `createdon`. */
export const normalize = (name: string) => name.toLowerCase().replace(/[^a-z0-9]/g, '');

/** Where each field is read from: column names as they appear in the file (several for severity). */
export type ColumnMap = Partial<Record<Field, string[]>>;

export class ImportInputError extends Error {}

/** `column=field` pairs of `--map`; the field may be any of its names (`created`, `created_on`, …). */
export function parseMappings(pairs: readonly string[]): { column: string; field: Field }[] {
  return pairs.map((pair) => {
    const eq = pair.lastIndexOf('=');
    if (eq <= 0 || eq === pair.length - 1) throw new ImportInputError(`--map ${JSON.stringify(pair)}: expected column=field, e.g. "Opened=created_at"`);
    const column = pair.slice(0, eq).trim();
    const wanted = normalize(pair.slice(eq + 1));
    const field = FIELDS.find((f) => normalize(f) === wanted || ALIASES[f].some((a) => normalize(a) === wanted) || normalize(f.replace(/_at$/, '')) === wanted);
    if (!field) throw new ImportInputError(`--map ${JSON.stringify(pair)}: unknown field; fields are ${FIELDS.join(', ')}`);
    return { column, field };
  });
}

/** The columns of each field: `--map` first, then the known names found among the columns. */
export function mapColumns(columns: readonly string[], mappings: readonly { column: string; field: Field }[]): ColumnMap {
  const map: ColumnMap = {};
  const byName = new Map(columns.map((c) => [normalize(c), c]));
  for (const { column, field } of mappings) {
    const actual = columns.includes(column) ? column : byName.get(normalize(column));
    if (actual === undefined) throw new ImportInputError(`--map ${column}=${field}: the file has no column ${JSON.stringify(column)} (it has ${columns.join(', ')})`);
    map[field] = [...(map[field] ?? []), actual];
  }
  const mapped = new Set(Object.values(map).flat());
  for (const field of FIELDS) {
    if (map[field]) continue;
    const found = ALIASES[field].map((a) => byName.get(normalize(a))).filter((c): c is string => c !== undefined && !mapped.has(c));
    if (found.length) map[field] = field === 'id' ? [found[0]!] : found;
  }
  return map;
}

/** The format an export looks like, from its columns. */
export function detectFormat(columns: readonly string[]): ImportFormat {
  const has = new Set(columns.map(normalize));
  if (has.has('incidentnumber') || has.has('createdon') || has.has('urgency') || has.has('escalationpolicyname')) return 'pagerduty';
  if (has.has('tinyid') || has.has('impactstartdate') || (has.has('message') && has.has('priority')) || has.has('alias')) return 'opsgenie';
  return 'generic';
}
