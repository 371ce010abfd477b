import { readFileSync } from 'node:fs';
import path from 'node:path';
import { Argument, InvalidArgumentError, Option } from 'commander';
import { formatImportReport, IMPORT_FORMATS, ImportInputError, importIncidents, parseMappings, type ImportFormat } from '../../report/index.js';
import type { Cli } from '../command.js';
import { UsageError } from '../output.js';
import { repeated } from '../parse.js';

/** One `--map column=field`, checked as the import reads it. */
const mapping = (value: string) => {
  try {
    parseMappings([value]);
  } catch (err) {
    if (err instanceof ImportInputError) throw new InvalidArgumentError(err.message);
    throw err;
  }
  return value;
};

export function importCommand(cli: Cli): void {
  cli.command<{ format?: ImportFormat; map?: string[]; json?: boolean }, [string]>({
    name: 'import',
    description: 'import past incidents from a PagerDuty, Opsgenie or any CSV or JSON export, so reports show your MTTR history',
    arguments: [new Argument('<file>', 'a CSV or JSON export')],
    options: [
      new Option('--format <format>', 'the export (default: guessed from the columns)').choices(IMPORT_FORMATS),
      new Option('--map <column=field>', 'read a field from a column of another name (repeatable), e.g. --map "Opened=created_at"').argParser(repeated(mapping)),
    ],
    json: 'print the import report as JSON',
    config: 'act',
    async action(ctx, file) {
      let content: string;
      try {
        content = readFileSync(file, 'utf8');
      } catch (err) {
        throw new UsageError(`cannot read ${file}: ${(err as Error).message}`);
      }
      const { format, map = [], json } = ctx.opts;
      const { rt } = await ctx.core();
      let report;
      try {
        report = await importIncidents(rt.store, content, path.basename(file), { ...(format ? { format } : {}), map, now: rt.clock.now() });
      } catch (err) {
        if (err instanceof ImportInputError) throw new UsageError(`${file}: ${err.message}`);
        throw err;
      }
      ctx.io.out(json ? JSON.stringify(report) : formatImportReport(report, file));
    },
  });
}
