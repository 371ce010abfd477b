import type { Command } from 'commander';
import { ConfigError } from '../../config/index.js';
import { alertCoverage, formatCoverage } from '../../report/index.js';
import { withCore } from '../session.js';
import { EXIT, reportConfigError, type Output } from '../output.js';
import { configHelp } from '../config-path.js';

export function coverageCommand(program: Command, io: Output, setExit: (code: number) => void): void {
  program
    .command('coverage')
    .description('which failure modes (availability, latency, error_rate, dependency) each service has an alert or monitor for, and how fast they detect')
    .option('--json', 'print JSON')
    .option('--fail-on-gap', 'exit 1 when a failure mode is not covered or a detector takes more than 2 minutes (for CI)')
    .option('-c, --config <file>', configHelp('read'))
    .action(async (opts: { json?: boolean; failOnGap?: boolean; config?: string }) => {
      try {
        const report = await withCore({ file: opts.config, use: 'read', io }, (core) => alertCoverage(core.rt.store.db, core.rt.loaded.config, core.rt.clock.now()));
        io.out(opts.json ? JSON.stringify(report) : formatCoverage(report));
        setExit(opts.failOnGap && !report.ok ? EXIT.failed : EXIT.ok);
      } catch (err) {
        if (err instanceof ConfigError) return setExit(reportConfigError(err, io));
        throw err;
      }
    });
}
