import { InvalidArgumentError } from 'commander';
import { formatDuration, parseDuration, parsePercentage } from '../config/index.js';
import { parseTimeInput, TIME_INPUT_FORMS } from '../shared/time.js';

/**
 * Parsers of option and argument values, for commander's `argParser()`. Each returns the value as the
 * command uses it, or throws InvalidArgumentError: commander then prints its own line
 * ("error: option '--limit <n>' argument 'abc' is invalid. expected …") and the CLI exits 2, before
 * anything is opened.
 */
export type ValueParser<T> = (value: string) => T;

const invalid = (message: string): never => {
  throw new InvalidArgumentError(message);
};

/** A whole number from `min` to `max`. */
export const integer =
  (min: number, max: number): ValueParser<number> =>
  (value) => {
    const n = Number(value.trim());
    return /^\d+$/.test(value.trim()) && Number.isSafeInteger(n) && n >= min && n <= max ? n : invalid(`expected a whole number from ${min} to ${max}`);
  };

/** An id shown as `#12` or `12`. */
export const id =
  (what: string): ValueParser<number> =>
  (value) => {
    const n = Number(value.replace(/^#/, ''));
    return /^#?\d+$/.test(value) && Number.isSafeInteger(n) && n > 0 ? n : invalid(`expected ${what} (a positive number)`);
  };

/** A duration as medic.yaml writes one ("30s", "5m", 60), in milliseconds, from `min` to `max`. */
export const duration =
  (min = 1, max = Number.MAX_SAFE_INTEGER): ValueParser<number> =>
  (value) => {
    const ms = parseDuration(value);
    if (ms !== undefined && ms >= min && ms <= max) return ms;
    if (max < Number.MAX_SAFE_INTEGER) return invalid(`expected a duration from ${formatDuration(min)} to ${formatDuration(max)}`);
    return invalid(min > 1 ? `expected a duration of at least ${formatDuration(min)}` : 'expected a duration such as 30s or 5m');
  };

/** A percentage ("25%" or 0.25), as a fraction. */
export const percentage: ValueParser<number> = (value) => parsePercentage(value) ?? invalid('expected a percentage such as 25%');

/**
 * A point in time as the API reads its time parameters (shared/time.ts): an ISO-8601 date or date-time,
 * epoch milliseconds, or a duration meaning that long before now ("30d"), as epoch milliseconds.
 */
export const instant: ValueParser<number> = (value) => parseTimeInput(value, Date.now()) ?? invalid(`expected ${TIME_INPUT_FORMS}`);

/** An absolute URL; `http` only allows http:// and https://. */
export const url =
  (http = false): ValueParser<string> =>
  (value) =>
    URL.canParse(value) && (!http || /^https?:\/\/[^/]/.test(value)) ? value : invalid(http ? 'expected an http:// or https:// URL' : 'expected an absolute URL');

/** Text that matches a pattern, described in words for the message. */
export const matching =
  (pattern: RegExp, description: string): ValueParser<string> =>
  (value) =>
    pattern.test(value) ? value : invalid(`expected ${description}`);

/** Text that is not blank (a reason, a cause, a note). */
export const text: ValueParser<string> = (value) => (value.trim() ? value : invalid('expected some text'));

/** A repeatable option: every value, each checked by `parse`. */
export const repeated =
  (parse: ValueParser<string>) =>
  (value: string, previous: string[] | undefined): string[] => [...(previous ?? []), parse(value)];
