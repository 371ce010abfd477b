import { CsvError as ParseError, parse } from 'csv-parse/sync';

/**
 * The records of a CSV export, read by csv-parse (RFC 4180: a field in double quotes may hold commas,
 * line breaks and doubled quotes), each with the line it starts on. Lenient where exports are sloppy: a
 * UTF-8 byte order mark is dropped, CRLF, LF and CR line breaks may be mixed, the last record may lack
 * its line break, blank lines are skipped, a quote inside an unquoted field is taken literally, and a
 * short or long row is read as it is (a missing cell is empty).
 */

export interface CsvRecord {
  /** The line the record starts on (1-based), for error messages and the import report. */
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

const newlines = (text: string) => text.split('\n').length - 1;

export function parseCsv(text: string): CsvRecord[] {
  // One kind of line break, so that a line is a line whatever the export used. A line break inside a
  // quoted field becomes \n too; the import strips \r from every text anyway (shared/text.ts).
  const input = text.replace(/\r\n?/g, '\n');
  // The line each record starts on, and the line after the last record read.
  const starts: number[] = [];
  let next = 1;
  try {
    const records = parse(input, {
      bom: true,
      record_delimiter: '\n',
      skip_empty_lines: true,
      relax_quotes: true,
      relax_column_count: true,
      // `lines` is the line a record ends on; the line breaks inside its quoted fields say where it began.
      on_record: (fields, { lines }) => {
        starts.push(lines - fields.reduce((n, f) => n + newlines(f), 0));
        next = lines + 1;
        return fields;
      },
    });
    return records.map((fields, i) => ({ line: starts[i]!, fields }));
  } catch (err) {
    if (!(err instanceof ParseError)) throw err;
    // The bad record starts on the first line after the last good record that is not blank; csv-parse's
    // message says where it gave up (for a quote never closed, the end of the file).
    const blank = input.split('\n').slice(next - 1).findIndex((l) => l !== '');
    throw new CsvError(next + Math.max(0, blank), err.message);
  }
}
