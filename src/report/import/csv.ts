/**
 * A small RFC 4180 reader (no CSV package is among Medic's dependencies): fields separated by commas,
 * records by CRLF or LF; a field in double quotes may hold commas, line breaks and doubled quotes ("").
 * Lenient where exports are sloppy: a UTF-8 byte order mark is dropped, the last record may lack its
 * line break, blank lines are skipped, and a quote inside an unquoted field is taken literally.
 */

export interface CsvRecord {
  /** The line the record starts on (1-based), for error messages. */
  line: number;
  fields: string[];
}

export class CsvError extends Error {
  constructor(
    readonly line: number,
    message: string,
  ) {
    super(`line ${line}: ${message}`);
  }
}

export function parseCsv(text: string): CsvRecord[] {
  const input = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  const records: CsvRecord[] = [];
  let fields: string[] = [];
  let field = '';
  let line = 1;
  let recordLine = 1;
  let i = 0;
  // Whether the current record has any content (a blank line has none).
  let started = false;

  const endField = () => {
    fields.push(field);
    field = '';
  };
  const endRecord = () => {
    endField();
    if (started) records.push({ line: recordLine, fields });
    fields = [];
    started = false;
  };

  while (i < input.length) {
    const c = input[i]!;
    if (c === '"' && field === '' && (fields.length === 0 || input[i - 1] === ',')) {
      // A quoted field: up to the closing quote; "" is a quote.
      const opened = line;
      started = true;
      i++;
      for (;;) {
        if (i >= input.length) throw new CsvError(opened, 'a quoted field is never closed');
        const q = input[i]!;
        if (q === '"') {
          if (input[i + 1] === '"') {
            field += '"';
            i += 2;
            continue;
          }
          i++;
          break;
        }
        if (q === '\n') line++;
        field += q;
        i++;
      }
      const next = input[i];
      if (next !== undefined && next !== ',' && next !== '\n' && next !== '\r') throw new CsvError(line, `unexpected ${JSON.stringify(next)} after a quoted field`);
      continue;
    }
    if (c === ',') {
      started = true;
      endField();
      i++;
    } else if (c === '\n' || c === '\r') {
      endRecord();
      i += c === '\r' && input[i + 1] === '\n' ? 2 : 1;
      line++;
      recordLine = line;
    } else {
      started = true;
      field += c;
      i++;
    }
  }
  if (started || field !== '' || fields.length > 0) endRecord();
  return records;
}
