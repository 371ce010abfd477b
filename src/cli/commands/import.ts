import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { Command } from 'commander';
import { ConfigError } from '../../config/index.js';
import { formatImportReport, IMPORT_FORMATS, ImportInputError, importIncidents, type ImportFormat } from '../../report/index.js';
import { withCore } from '../session.js';
import { EXIT, reportConfigError, UsageError, type Output } from '../output.js';
import { configHelp } from '../config-path.js';

export function importCommand(program: Command, io: Output, setExit: (code: number) => void): void {
  program
    .command('import <file>')
    .description('import past incidents from a PagerDuty, Opsgenie or any CSV or JSON export, so reports show your MTTR history')
    .option('--format <format>', `${IMPORT_FORMATS.join(', ')} (default: guessed from the columns)`)
    .option('--map <column=field>', 'read a field from a column of another name (repeatable), e.g. --map "Opened=created_at"', (v: string, all: string[]) => [...all, v], [] as string[])
    .option('--json', 'print the import report as JSON')
    .option('-c, --config <file>', configHelp('act'))
    .action(async (file: string, opts: { format?: string; map: string[]; json?: boolean; config?: string }) => {
      if (opts.format !== undefined && !(IMPORT_FORMATS as readonly string[]).includes(opts.format)) throw new UsageError(`--format must be one of ${IMPORT_FORMATS.join(', ')}`);
      let content: string;
      try {
        content = readFileSync(file, 'utf8');
      } catch (err) {
        throw new UsageError(`cannot read ${file}: ${(err as Error).message}`);
      }
      try {
        const report = await withCore({ file: opts.config, use: 'act', io }, (core) =>
          importIncidents(core.rt.store, content, path.basename(file), { ...(opts.format ? { format: opts.format as ImportFormat } : {}), map: opts.map, now: core.rt.clock.now() }),
        );
        io.out(opts.json ? JSON.stringify(report) : formatImportReport(report, file));
        setExit(EXIT.ok);
      } catch (err) {
        if (err instanceof ConfigError) return setExit(reportConfigError(err, io));
        if (err instanceof ImportInputError) throw new UsageError(`${file}: ${err.message}`);
        throw err;
      }
    });
}
