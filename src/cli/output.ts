import { ConfigError } from '../config/index.js';

/** Exit codes of every command: 0 ok, 1 the check or verification failed, 2 bad input. */
export const EXIT = { ok: 0, failed: 1, badInput: 2 } as const;

export interface Output {
  out(text: string): void;
  err(text: string): void;
}

export const stdio: Output = {
  out: (text) => process.stdout.write(text.endsWith('\n') ? text : `${text}\n`),
  err: (text) => process.stderr.write(text.endsWith('\n') ? text : `${text}\n`),
};

/** Bad input to a command (an id that is not one, a missing option): printed, exit 2. */
export class UsageError extends Error {}

/** Prints a config error as a list of located problems; returns the exit code for bad input. */
export function reportConfigError(err: unknown, io: Output): number {
  if (err instanceof ConfigError) {
    io.err(`${err.problems.length} problem${err.problems.length === 1 ? '' : 's'} in the config:`);
    io.err(err.message);
    return EXIT.badInput;
  }
  throw err;
}
