import type { Argument, Command, Option } from 'commander';
import { ConfigError } from '../config/index.js';
import { configHelp, type ConfigUse } from './config-path.js';
import { CommandContext } from './context.js';
import { EXIT, reportConfigError, type Output } from './output.js';

/**
 * One command of `medic`. Its options and arguments are commander's own `Option` and `Argument`, each
 * value checked by `.choices()` or `.argParser()` (see parse.ts), so bad input is refused by commander
 * with its own message (exit 2) before the action runs. A command declares only the options it reads.
 */
export interface CommandSpec<O extends object, A extends unknown[]> {
  /** The word after its parent: `incidents`, or `show` in a group made with Cli.group. */
  name: string;
  description: string;
  arguments?: Argument[];
  options?: Option[];
  /** Adds `-c, --config <file>`: `read` commands may fall back to the demo's data, `act` ones may not. */
  config?: ConfigUse;
  /** Adds `--json` with this help. */
  json?: string;
  /**
   * The exit code of an error that is the user's doing (no such incident, an import file that is not
   * one), whose message is printed as it is; undefined for any other error. A config error is always
   * printed with its located problems and exits 2; a UsageError always exits 2.
   */
  expected?: (err: unknown) => number | undefined;
  /** Does the work with the values of the arguments in order; returns the exit code (default 0). */
  action(ctx: CommandContext<O>, ...args: A): Promise<number | void> | number | void;
}

/** `expected` for errors of these classes: their message is printed and the exit code is `code`. */
export const printed =
  (classes: readonly (abstract new (...args: never[]) => Error)[], code: number = EXIT.badInput) =>
  (err: unknown): number | undefined =>
    classes.some((c) => err instanceof c) ? code : undefined;

/**
 * Adds commands to `medic` (or to a group of it), each set up the same way: the shared options, one way
 * to open the config and the core (CommandContext), Ctrl-C aborting what reads `ctx.signal`, and one
 * mapping of errors to exit codes. A file under commands/ exports one `(cli: Cli) => void`.
 */
export class Cli {
  constructor(
    private readonly parent: Command,
    readonly io: Output,
    private readonly setExit: (code: number) => void,
  ) {}

  /** `medic <name> …`: a command that only holds subcommands. */
  group(name: string, description: string): Cli {
    return new Cli(this.parent.command(name).description(description), this.io, this.setExit);
  }

  command<O extends object = object, A extends unknown[] = []>(spec: CommandSpec<O, A>): Command {
    const command = this.parent.command(spec.name).description(spec.description);
    for (const argument of spec.arguments ?? []) command.addArgument(argument);
    for (const option of spec.options ?? []) command.addOption(option);
    if (spec.json) command.option('--json', spec.json);
    if (spec.config) command.option('-c, --config <file>', configHelp(spec.config));
    command.action(async () => {
      const ctx = new CommandContext(command.opts<O>(), this.io, spec.config);
      try {
        this.setExit((await spec.action(ctx, ...(command.processedArgs as A))) ?? EXIT.ok);
      } catch (err) {
        if (err instanceof ConfigError) return this.setExit(reportConfigError(err, this.io));
        const code = spec.expected?.(err);
        if (code === undefined || !(err instanceof Error)) throw err;
        this.io.err(err.message);
        this.setExit(code);
      } finally {
        await ctx.close();
      }
    });
    return command;
  }
}
