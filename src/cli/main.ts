import { Command, CommanderError } from 'commander';
import { MEDIC_VERSION } from '../shared/version.js';
import { approvalCommands } from './commands/approval.js';
import { dashboardCommand } from './commands/dashboard.js';
import { deployCommand } from './commands/deploy.js';
import { diagnoseCommand } from './commands/diagnose.js';
import { rollbackCommand } from './commands/rollback.js';
import { runCommand } from './commands/run.js';
import { flagCommands } from './commands/flags.js';
import { coverageCommand } from './commands/coverage.js';
import { importCommand } from './commands/import.js';
import { incidentCommands } from './commands/incidents.js';
import { oncallCommand } from './commands/oncall.js';
import { postmortemCommand } from './commands/postmortem.js';
import { reportCommand } from './commands/report.js';
import { schemaCommand } from './commands/schema.js';
import { startCommand } from './commands/start.js';
import { tokenCommand } from './commands/token.js';
import { validateCommand } from './commands/validate.js';
import { verifyCommand } from './commands/verify.js';
import { Cli } from './command.js';
import { EXIT, stdio, UsageError, type Output } from './output.js';

/** Builds the `medic` program; each command lives in its own file under commands/, added through Cli (command.ts). */
export function buildProgram(io: Output, setExit: (code: number) => void): Command {
  const program = new Command('medic')
    .description('Medic cuts Mean Time To Recovery: detect, diagnose, resolve and verify incidents, and measure each phase.')
    .version(MEDIC_VERSION)
    .exitOverride()
    .configureOutput({ writeOut: (s) => io.out(s), writeErr: (s) => io.err(s) });
  const cli = new Cli(program, io, setExit);
  for (const register of [startCommand, validateCommand, runCommand, schemaCommand, tokenCommand, incidentCommands, flagCommands, diagnoseCommand, verifyCommand, rollbackCommand, deployCommand, approvalCommands, reportCommand, coverageCommand, postmortemCommand, importCommand, dashboardCommand, oncallCommand]) register(cli);
  return program;
}

/** Runs the CLI; resolves to the exit code. */
export async function main(argv: string[], io: Output = stdio): Promise<number> {
  let code: number = EXIT.ok;
  const program = buildProgram(io, (c) => (code = c));
  try {
    await program.parseAsync(argv);
  } catch (err) {
    if (err instanceof CommanderError) return err.exitCode === 0 ? EXIT.ok : EXIT.badInput;
    if (err instanceof UsageError) {
      io.err(err.message);
      return EXIT.badInput;
    }
    throw err;
  }
  return code;
}
