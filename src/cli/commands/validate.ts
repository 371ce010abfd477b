import type { Command } from 'commander';
import { formatProblem } from '../../config/index.js';
import { EXIT, reportConfigError, type Output } from '../output.js';
import { configHelp, loadCommandConfig } from '../config-path.js';

export function validateCommand(program: Command, io: Output, setExit: (code: number) => void): void {
  program
    .command('validate')
    .description('check a config file and print what it defines')
    .option('-c, --config <file>', configHelp('act'))
    .option('--json', 'print the summary as JSON')
    .action((opts: { config?: string; json?: boolean }) => {
      try {
        const { config, file, warnings } = loadCommandConfig(opts.config, 'act', io);
        const counts = {
          services: config.services.length,
          monitors: config.monitors.length,
          alerts: config.alerts.length,
          runbooks: config.runbooks.length,
          remediation_rules: config.remediation.length,
          flags: config.flags.length,
          channels: config.notifications.length,
        };
        if (opts.json) io.out(JSON.stringify({ file, valid: true, ...counts, warnings: warnings.map(formatProblem) }));
        else {
          io.out(`✓ ${file} is valid`);
          for (const [k, v] of Object.entries(counts)) io.out(`  ${k.replace('_', ' ').padEnd(18)} ${v}`);
          // Warnings do not make the config invalid: the exit code stays 0.
          for (const w of warnings) io.err(`warning: ${formatProblem(w)}`);
        }
        setExit(EXIT.ok);
      } catch (err) {
        setExit(reportConfigError(err, io));
      }
    });
}
